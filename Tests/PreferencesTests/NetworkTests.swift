import Foundation
import MKContracts
import MKMessages
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The main flow over a real TCP connection, so encoding and status codes are proven on the wire.
@Suite("Over the network")
struct NetworkTests {
    @Test func eventsSettingsNotificationsAndErrorsWorkOverTheWire() async throws {
        try await PreferencesFixture.with(overNetwork: true) { fixture in
            let subject = PreferencesFixture.newSubject()
            let keys = try await fixture.pairKeys(2, for: subject)
            var grid = try await fixture.settings(subject)
            #expect(grid.devices.map(\.deviceId) == keys)
            grid.devices[0].informative = false
            try await fixture.save(subject, grid)
            let stale = await rpcError { try await fixture.save(subject, grid) }
            #expect(stale?.code == .aborted)
            #expect(stale?.reason == "STALE_VERSION")
            let sent = try await fixture.send(PreferencesFixture.informative(subject, key: "net-1"))
            #expect(sent.channels.map(\.channel) == [.email, .sms, .device])
            let reused = await rpcError {
                try await fixture.send(PreferencesFixture.informative(subject, key: "net-1", body: "Jiné."))
            }
            #expect(reused?.code == .alreadyExists)
            #expect(try await fixture.inbox(subject, keys[1]).contains { $0.kind == .informative })
            let invalid = await rpcError {
                try await fixture.preferences.getSettings(.init(subject: "bad subject"), options: RPCCallOptions())
            }
            #expect(invalid?.code == .invalidArgument)
            #expect(invalid?.message.hasPrefix("subject:") == true)
        }
    }
}
