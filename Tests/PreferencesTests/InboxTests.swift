import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// Each key's inbox: private to the key, acknowledged once.
@Suite("Key inbox")
struct InboxTests {
    @Test func aKeySeesAndAcknowledgesOnlyItsOwnInbox() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            var grid = try await fixture.settings(subject)
            grid.devices[1].informative = false
            try await fixture.save(subject, grid)
            let sent = try await fixture.send(PreferencesFixture.informative(subject))
            let mine = try await fixture.inbox(subject, keys[0]).filter { $0.kind == .informative }
            #expect(mine.count == 1)
            #expect(try await fixture.inbox(subject, keys[1]).filter { $0.kind == .informative }.isEmpty)
            // The other key cannot acknowledge it, and another citizen cannot even open this key.
            let foreign = try await fixture.preferences.ackInbox(
                .init(subject: subject, deviceId: keys[1], messageIds: mine.map(\.messageId)), options: RPCCallOptions())
            #expect(foreign.acknowledged == 0)
            let stranger = await rpcError { try await fixture.inbox(PreferencesFixture.newSubject(), keys[0]) }
            #expect(stranger?.code == .notFound)
            let acked = try await fixture.preferences.ackInbox(
                .init(subject: subject, deviceId: keys[0], messageIds: mine.map(\.messageId)), options: RPCCallOptions())
            #expect(acked.acknowledged == 1)
            #expect(try await fixture.inbox(subject, keys[0]).filter { $0.kind == .informative }.isEmpty)
            let again = try await fixture.preferences.ackInbox(
                .init(subject: subject, deviceId: keys[0], messageIds: mine.map(\.messageId)), options: RPCCallOptions())
            #expect(again.acknowledged == 0)
            let status = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: sent.notificationId), options: RPCCallOptions())
            #expect(status.channels.last == .init(channel: .device, state: .read))
        }
    }

    @Test func inboxRequestsAreValidated() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(1, for: subject)
            let cases: [(String, () async throws -> Void)] = [
                ("device_id", { _ = try await fixture.inbox(subject, "not-a-uuid") }),
                ("limit", {
                    _ = try await fixture.preferences.listInbox(
                        .init(subject: subject, deviceId: keys[0], limit: 101), options: RPCCallOptions())
                }),
                ("message_ids", {
                    _ = try await fixture.preferences.ackInbox(
                        .init(subject: subject, deviceId: keys[0], messageIds: []), options: RPCCallOptions())
                }),
                ("message_ids[1]", {
                    _ = try await fixture.preferences.ackInbox(
                        .init(subject: subject, deviceId: keys[0], messageIds: [UUID().uuidString, "x"]),
                        options: RPCCallOptions())
                }),
            ]
            for (field, call) in cases {
                let error = await rpcError { try await call() }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.hasPrefix(field + ":") == true, "\(error?.message ?? "")")
            }
        }
    }
}
