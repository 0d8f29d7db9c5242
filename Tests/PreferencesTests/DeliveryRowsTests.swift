import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The write paths' stored rows: a notification, its deliveries from one multi-row insert and its
/// audit row in one statement, exactly once per idempotency or dedup key.
@Suite("Stored rows of new notifications")
struct DeliveryRowsTests {
    /// One stored delivery, in position order.
    struct Row: Equatable, CustomStringConvertible {
        var position: Int32
        var channel: Mk_Preferences_V1_ChannelKind
        var device: String?
        var noAddress: Bool
        var state: String
        var sent: Bool

        var description: String {
            "\(position) \(channel) \(device ?? "-") noAddress=\(noAddress) \(state) sent=\(sent)"
        }
    }

    static func rows(of notification: UUID, in fixture: PreferencesFixture) async throws -> [Row] {
        try await fixture.database.query(
            """
            SELECT position, channel, device_id, no_address, state, sent_at IS NOT NULL, next_attempt_at = created_at
            FROM delivery JOIN notification ON notification.id = delivery.notification_id
            WHERE notification_id = \(notification) ORDER BY position
            """
        ).decode((Int32, Int32, UUID?, Bool, String, Bool, Bool).self).map { row in
            #expect(row.6, "next_attempt_at is the notification's time")
            return Row(
                position: row.0, channel: Mk_Preferences_V1_ChannelKind(rawValue: row.1),
                device: row.2?.uuidString.lowercased(), noAddress: row.3, state: row.4, sent: row.5)
        }
    }

    static func audit(_ action: String, of subject: String, in fixture: PreferencesFixture) async throws -> [String] {
        try await fixture.database.query(
            "SELECT detail FROM audit WHERE subject = \(subject) AND action = \(action) ORDER BY id"
        ).decode(String.self)
    }

    @Test func anInformativeNotificationStoresEveryChannelInOrderWithItsAuditRowOnce() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(3, for: subject)
            try await fixture.saveContacts(subject, email: "jana@example.cz")
            var grid = try await fixture.settings(subject)
            grid.devices[1].informative = false
            try await fixture.save(subject, grid)

            let request = PreferencesFixture.informative(subject, key: "rows-1")
            let answer = try await fixture.send(request)
            let id = try #require(UUID(uuidString: answer.notificationId))
            let stored = try await Self.rows(of: id, in: fixture)
            #expect(
                stored == [
                    Row(position: 0, channel: .email, device: nil, noAddress: false, state: "pending", sent: false),
                    Row(position: 1, channel: .sms, device: nil, noAddress: true, state: "pending", sent: false),
                    Row(position: 2, channel: .device, device: keys[0], noAddress: false, state: "sent", sent: true),
                    Row(position: 3, channel: .device, device: keys[2], noAddress: false, state: "sent", sent: true),
                ])
            // The answer is what the sender reads back later.
            let status = try await fixture.preferences.getNotificationStatus(
                .init(authorityId: "ossz", notificationId: answer.notificationId), options: RPCCallOptions())
            #expect(answer.channels == status.channels)
            #expect(answer.channels.map(\.state) == [.pending, .pending, .sent, .sent])
            #expect(
                try await Self.audit("informative_accepted", of: subject, in: fixture)
                    == ["notification: \(answer.notificationId), authority: ossz"])

            let before = try await fixture.snapshot()
            let repeated = try await fixture.send(request)
            #expect(repeated.notificationId == answer.notificationId)
            #expect(repeated.channels == answer.channels)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func aLoginNoticeStoresOneInboxRowPerKeyWithLoginNoticesAndARepeatStoresNothing() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(3, for: subject)
            try await fixture.saveContacts(subject, email: "jana@example.cz", phone: "601123456")
            var grid = try await fixture.settings(subject)
            grid.devices[1].login = false
            try await fixture.save(subject, grid)
            let request = Mk_Preferences_V1_NotifyLoginRequest(
                subject: subject, means: "EOP", atUnixMicros: 1_760_000_000_000_000, origin: "Praha", eventId: "rows-login")

            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 2)
            let id = try await fixture.database.query(
                "SELECT id FROM notification WHERE subject = \(subject) AND kind = \(Mk_Preferences_V1_InboxKind.login.rawValue)"
            ).single(UUID.self)
            #expect(
                try await Self.rows(of: id, in: fixture) == [
                    Row(position: 0, channel: .device, device: keys[0], noAddress: false, state: "sent", sent: true),
                    Row(position: 1, channel: .device, device: keys[2], noAddress: false, state: "sent", sent: true),
                ])
            #expect(try await Self.audit("login_notice", of: subject, in: fixture) == ["means: EOP, keys: 2"])

            let before = try await fixture.snapshot()
            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 2)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func aLoginNoticeOfACitizenWithoutKeysIsStoredOnceWithoutDeliveries() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            let request = Mk_Preferences_V1_NotifyLoginRequest(
                subject: subject, means: "NIA_ID", atUnixMicros: 0, origin: "", eventId: "rows-no-keys")
            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 0)
            let notifications = try await fixture.database.query(
                "SELECT count(*) FROM notification WHERE subject = \(subject)").single(Int64.self)
            #expect(notifications == 1)
            #expect(try await Self.audit("login_notice", of: subject, in: fixture) == ["means: NIA_ID, keys: 0"])
            let before = try await fixture.snapshot()
            #expect(try await fixture.preferences.notifyLogin(request, options: RPCCallOptions()).devices == 0)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func theRegistrysSignedInEchoIsAcknowledgedAndChangesNothing() async throws {
        try await PreferencesFixture.with { fixture in
            let subject = PreferencesFixture.newSubject()
            _ = try await fixture.pairKeys(1, for: subject)
            var event = PreferencesFixture.event(.signedIn, subject: subject)
            event.signedIn = Mk_Events_V1_SignedIn(means: "EOP", deviceId: "", origin: "Praha")
            let before = try await fixture.snapshot()
            #expect(try await fixture.deliver(event) == 0)
            #expect(try await fixture.deliver(event) == 0)
            #expect(try await fixture.snapshot() == before)
        }
    }

    @Test func aWakeUpIsQueuedForEveryKeyWithATokenInOneStatement() async throws {
        try await PreferencesFixture.with(pushEnabled: true) { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(3, for: subject)
            try await fixture.registerPushToken(subject, keys[0], "token-a")
            try await fixture.registerPushToken(subject, keys[2], "token-c")
            _ = try await fixture.send(PreferencesFixture.informative(subject))
            #expect(try await fixture.wakeups(keys[0]).map(\.state) == ["pending"])
            #expect(try await fixture.wakeups(keys[1]).isEmpty)
            #expect(try await fixture.wakeups(keys[2]).map(\.state) == ["pending"])
            let first = try await fixture.wakeups(keys[0])
            // A second message while the wake-up still waits is covered by it.
            _ = try await fixture.send(PreferencesFixture.informative(subject))
            #expect(try await fixture.wakeups(keys[0]).map(\.id) == first.map(\.id))
        }
    }
}
