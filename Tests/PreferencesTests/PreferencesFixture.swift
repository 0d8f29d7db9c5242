import Foundation
import Logging
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import NIOCore
import Preferences
import Testing

/// One test's Preferences: an isolated schema with the migrations, the service and event sink
/// with a manual clock, and typed clients reaching them in-process or over a loopback TCP port.
struct PreferencesFixture {
    let database: PostgresClient
    let clock: ManualClock
    let preferences: Mk_Preferences_V1_Preferences.Client
    let sink: Mk_Events_V1_EventSink.Client

    /// The tables whose contents a rejected call must leave unchanged.
    static let tables = [
        "citizen", "device_setting", "unpaired_device", "notification", "delivery", "authority_quota", "audit",
        "inbox_event", "push_wakeup",
    ]

    static let logger = Logger(label: "preferences-test")

    /// Runs `body` with a fresh service (queuing push wake-ups when `pushEnabled`).
    static func with(
        quotaPerHour: Int = 10_000,
        quotaSlots: Int = 64,
        overNetwork: Bool = false,
        pushEnabled: Bool = false,
        _ body: (PreferencesFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "prefs") { isolated in
            try await isolated.withClient { database in
                try await PreferencesMigrations.apply(to: database, schema: isolated.schema)
                let clock = ManualClock()
                let service = PreferencesService(
                    client: database,
                    configuration: PreferencesConfiguration(
                        authorityQuotaPerHour: quotaPerHour, authorityQuotaSlots: quotaSlots, pushEnabled: pushEnabled),
                    clock: clock, logger: logger)
                let sink = PreferencesEventSink(client: database, clock: clock)
                func run(_ caller: any RPCCaller) async throws {
                    try await body(
                        PreferencesFixture(
                            database: database, clock: clock,
                            preferences: Mk_Preferences_V1_Preferences.Client(caller: caller),
                            sink: Mk_Events_V1_EventSink.Client(caller: caller)))
                }
                guard overNetwork else {
                    try await run(RPCInProcessCaller(services: [service, sink]))
                    return
                }
                try await LoopbackRPC.serving([service, sink], logger: logger) { caller in try await run(caller) }
            }
        }
    }

    /// A delivery worker over this database with the fixture's clock.
    func worker(
        email: (any DeliveryTransport)? = nil, sms: (any DeliveryTransport)? = nil, maximumAttempts: Int = 5
    ) -> DeliveryWorker {
        DeliveryWorker(
            client: database, email: email, sms: sms,
            configuration: DeliveryWorkerConfiguration(
                batchSize: 50, maximumAttempts: maximumAttempts, initialBackoff: .seconds(10),
                maximumBackoff: .seconds(60), lease: .seconds(120)),
            clock: clock, logger: Self.logger)
    }

    /// A push worker over this database with the fixture's clock and the delivery workers' policy.
    func pushWorker(_ provider: any PushProvider, maximumAttempts: Int = 5) -> PushWorker {
        PushWorker(
            client: database, provider: provider,
            configuration: DeliveryWorkerConfiguration(
                batchSize: 50, maximumAttempts: maximumAttempts, initialBackoff: .seconds(10),
                maximumBackoff: .seconds(60), lease: .seconds(120)),
            clock: clock, logger: Self.logger)
    }

    /// Every row of every table, as text, for before/after comparisons.
    func snapshot() async throws -> [String: [String]] {
        try await TestDatabase.snapshot(of: Self.tables, in: database)
    }

    /// A random subject.
    static func newSubject() -> String { "citizen-\(UUID().uuidString.lowercased())" }

    /// A random key id.
    static func newDevice() -> String { UUID().uuidString.lowercased() }

    // MARK: Events

    static func event(_ type: Mk_Events_V1_EventType, subject: String, producer: String = "device-registry")
        -> Mk_Events_V1_Event
    {
        var event = Mk_Events_V1_Event()
        event.eventId = UUID().uuidString.lowercased()
        event.type = type
        event.subject = subject
        event.occurredAtUnixMicros = 1_760_000_000_000_000
        event.producer = producer
        return event
    }

    static func paired(
        _ device: String, of subject: String, name: String = "Pixel 8 (Google Pixel 8)", platform: String = "ANDROID"
    ) -> Mk_Events_V1_Event {
        var event = event(.devicePaired, subject: subject)
        event.devicePaired = Mk_Events_V1_DevicePaired(deviceId: device, displayName: name, platform: platform, origin: "app")
        return event
    }

    static func unpaired(_ device: String, of subject: String, noMeansLeft: Bool = false) -> Mk_Events_V1_Event {
        var event = event(.deviceUnpaired, subject: subject)
        event.deviceUnpaired = Mk_Events_V1_DeviceUnpaired(
            deviceId: device, displayName: "Pixel 8 (Google Pixel 8)", reason: "CITIZEN", noMeansLeft: noMeansLeft)
        return event
    }

    /// Delivers events as the registry's relay would; returns how many were new.
    @discardableResult
    func deliver(_ events: Mk_Events_V1_Event...) async throws -> UInt32 {
        try await sink.deliverEvents(Mk_Events_V1_DeliverEventsRequest(events: events), options: RPCCallOptions()).applied
    }

    /// Pairs `count` keys for `subject` through events; returns their ids in pairing order.
    func pairKeys(_ count: Int, for subject: String, platform: String = "ANDROID") async throws -> [String] {
        var devices: [String] = []
        for index in 0..<count {
            let device = Self.newDevice()
            var event = Self.paired(device, of: subject, platform: platform)
            event.occurredAtUnixMicros += Int64(index)
            try await deliver(event)
            devices.append(device)
        }
        return devices
    }

    // MARK: Calls

    func settings(_ subject: String) async throws -> Mk_Preferences_V1_Settings {
        try #require(try await preferences.getSettings(.init(subject: subject), options: RPCCallOptions()).settings)
    }

    @discardableResult
    func save(_ subject: String, _ settings: Mk_Preferences_V1_Settings) async throws -> Mk_Preferences_V1_Settings {
        try #require(
            try await preferences.saveSettings(.init(subject: subject, settings: settings), options: RPCCallOptions())
                .settings)
    }

    @discardableResult
    func saveContacts(_ subject: String, email: String = "", phone: String = "") async throws -> Mk_Preferences_V1_Contacts {
        try #require(
            try await preferences.saveContacts(
                .init(subject: subject, contacts: .init(email: email, phone: phone)), options: RPCCallOptions()
            ).contacts)
    }

    /// Sets the informative switches of the contact rows and every key.
    func setInformative(_ subject: String, email: Bool, sms: Bool, devices: Bool) async throws {
        var grid = try await settings(subject)
        grid.contacts[0].informative = email
        grid.contacts[1].informative = sms
        for index in grid.devices.indices { grid.devices[index].informative = devices }
        try await save(subject, grid)
    }

    static func informative(
        _ subject: String, key: String = UUID().uuidString, authority: String = "ossz", title: String = "Důchod",
        body: String = "Vaše žádost byla vyřízena."
    ) -> Mk_Preferences_V1_SendInformativeRequest {
        Mk_Preferences_V1_SendInformativeRequest(
            authorityId: authority, authorityName: "Česká správa sociálního zabezpečení", subject: subject,
            title: title, body: body, idempotencyKey: key)
    }

    /// Sends `request`; `timeout` replaces the client's default deadline (10 s).
    func send(
        _ request: Mk_Preferences_V1_SendInformativeRequest, timeout: Duration? = nil
    ) async throws -> Mk_Preferences_V1_SendInformativeResponse {
        try await preferences.sendInformative(request, options: RPCCallOptions(timeout: timeout))
    }

    func inbox(_ subject: String, _ device: String) async throws -> [Mk_Preferences_V1_InboxMessage] {
        try await preferences.listInbox(.init(subject: subject, deviceId: device), options: RPCCallOptions()).messages
    }

    func notices(_ subject: String) async throws -> [Mk_Preferences_V1_NoticeEntry] {
        try await preferences.listNotices(.init(subject: subject), options: RPCCallOptions()).notices
    }

    func registerPushToken(_ subject: String, _ device: String, _ token: String) async throws {
        _ = try await preferences.registerPushToken(
            .init(subject: subject, deviceId: device, pushToken: token), options: RPCCallOptions())
    }

    /// The stored push token of `device`.
    func pushToken(_ device: String) async throws -> String? {
        try await database.query(
            "SELECT push_token FROM device_setting WHERE device_id = \(try #require(UUID(uuidString: device)))"
        ).decodeFirst(String.self)
    }

    /// The wake-up row of `device` (at most one), with its id in lowercase.
    func wakeups(_ device: String) async throws -> [(id: String, state: String, attempts: Int32, error: String)] {
        try await database.query(
            """
            SELECT id, state, attempts, last_error FROM push_wakeup
            WHERE device_id = \(try #require(UUID(uuidString: device)))
            """
        ).decode((UUID, String, Int32, String).self).map { ($0.0.uuidString.lowercased(), $0.1, $0.2, $0.3) }
    }

    /// The stored state and reason of every contact delivery of `subject`, by channel.
    func contactDeliveries(_ subject: String) async throws -> [(channel: Int32, state: String, attempts: Int32, error: String)] {
        try await database.query(
            """
            SELECT delivery.channel, delivery.state, delivery.attempts, delivery.last_error
            FROM delivery JOIN notification ON notification.id = delivery.notification_id
            WHERE notification.subject = \(subject) AND delivery.channel <> 3
            ORDER BY notification.created_at, delivery.position
            """
        ).decode((Int32, String, Int32, String).self).map { ($0.0, $0.1, $0.2, $0.3) }
    }
}
