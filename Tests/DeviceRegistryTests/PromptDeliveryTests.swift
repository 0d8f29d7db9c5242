import DeviceRegistry
import Foundation
import Logging
import MKContracts
import MKEvents
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Preferences
import Testing

/// The registry's changes reach the real Preferences (its own schema, over loopback RPC) before
/// the registry answers, so a citizen who renames a key and opens the settings at once sees the
/// new name. No poller runs: only the service's prompt delivery can carry an event across.
@Suite("Prompt delivery to Preferences")
struct PromptDeliveryTests {
    static let logger = Logger(label: "prompt-delivery-test")

    @Test func aPairingARenameAndAnUnpairingAreInPreferencesWhenTheRegistryAnswers() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "promptpref") { isolated in
            try await isolated.withClient { database in
                try await PreferencesMigrations.apply(to: database, schema: isolated.schema)
                let services: [any RPCService] = [
                    PreferencesService(client: database, logger: Self.logger), PreferencesEventSink(client: database),
                ]
                try await LoopbackRPC.serving(services, logger: Self.logger) { caller in
                    let preferences = Mk_Preferences_V1_Preferences.Client(caller: caller)
                    let subscriber = OutboxSubscriber(name: "preferences", caller: caller)
                    try await RegistryFixture.with(subscribers: [subscriber]) { fixture in
                        try await changesAreVisibleAtOnce(fixture, preferences)
                    }
                }
            }
        }
    }

    private func changesAreVisibleAtOnce(
        _ fixture: RegistryFixture, _ preferences: Mk_Preferences_V1_Preferences.Client
    ) async throws {
        let subject = RegistryFixture.newSubject()
        func grid() async throws -> [Mk_Preferences_V1_DeviceSetting] {
            try await preferences.getSettings(.init(subject: subject)).settings?.devices ?? []
        }
        let first = try await fixture.pair(subject).device
        #expect(try await grid().map(\.displayName) == ["Pixel 8 (Google Pixel 8)"])

        fixture.clock.advance(by: 1)
        _ = try await fixture.registry.renameDevice(
            .init(subject: subject, deviceId: first.deviceId, displayName: "Evin telefon"), options: RPCCallOptions())
        #expect(try await grid().map(\.displayName) == ["Evin telefon"])

        let second = try await fixture.pair(subject, deviceName: "iPhone", model: "iPhone 15").device
        _ = try await fixture.registry.unpairDevice(
            .init(subject: subject, deviceId: first.deviceId, confirmLastMeans: false, reason: .citizen),
            options: RPCCallOptions())
        #expect(try await grid().map(\.deviceId) == [second.deviceId])
        #expect(try await fixture.database.query("SELECT count(*) FROM outbox_pending").single(Int64.self) == 0)
    }

    @Test func aSubscriberThatIsDownFailsNoChangeAndItsEventsWaitForThePoller() async throws {
        let down = RPCClient(
            host: "127.0.0.1", port: try await LoopbackRPC.closedPort(logger: Self.logger),
            configuration: RPCClient.Configuration(connectTimeout: .milliseconds(200), maximumAttempts: 1),
            logger: Self.logger)
        defer { down.shutdown() }
        let subscriber = OutboxSubscriber(name: "preferences", caller: down)
        try await RegistryFixture.with(subscribers: [subscriber]) { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            let renamed = try await fixture.registry.renameDevice(
                .init(subject: subject, deviceId: device.deviceId, displayName: "Evin telefon"),
                options: RPCCallOptions())
            #expect(renamed.device?.displayName == "Evin telefon")
            let pending = try await fixture.database.query(
                """
                SELECT event.event_type FROM outbox_pending AS pending
                JOIN outbox_event AS event ON event.sequence = pending.sequence
                WHERE pending.subscriber = 'preferences' ORDER BY pending.sequence
                """
            ).decode(Int64.self)
            let types: [Mk_Events_V1_EventType] = [.devicePaired, .deviceRenamed]
            #expect(pending == types.map { Int64($0.rawValue) })
        }
    }
}
