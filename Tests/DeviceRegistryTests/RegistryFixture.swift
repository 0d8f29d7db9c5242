import Crypto
import DeviceRegistry
import Foundation
import Logging
import MKContracts
import MKEvents
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import NIOCore
import Testing

/// One test's registry: an isolated schema with the registry's migrations, the service with a
/// manual clock, and a typed client reaching it in-process (or any other caller).
struct RegistryFixture {
    let database: PostgresClient
    let schema: String
    let clock: ManualClock
    let service: DeviceRegistryService
    let registry: Mk_Registry_V1_DeviceRegistry.Client

    /// The tables whose contents a rejected call must leave unchanged.
    static let tables = [
        "subject", "pairing", "device", "known_means", "use_event", "history", "challenge", "audit",
        "outbox_event", "outbox_pending", "outbox_subscriber",
    ]

    /// Runs `body` with a fresh registry, called in-process, or over a real TCP connection
    /// (an `RPCServer` on 127.0.0.1 port 0 and an `RPCClient`) when `overNetwork` is true. With
    /// `subscribers`, the service has an outbox relay to them (registered, its poller not running),
    /// so only the service's prompt delivery carries events across.
    static func with(
        maximumActiveKeys: Int = 10,
        overNetwork: Bool = false,
        subscribers: [OutboxSubscriber] = [],
        _ body: (RegistryFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "registry") { isolated in
            try await isolated.withClient { database in
                try await DeviceRegistryMigrations.apply(to: database, schema: isolated.schema)
                let clock = ManualClock()
                let logger = Logger(label: "device-registry-test")
                var relay: OutboxRelay?
                if !subscribers.isEmpty {
                    relay = OutboxRelay(
                        client: database, subscribers: subscribers,
                        configuration: OutboxRelayConfiguration(producer: "device-registry"), logger: logger)
                    try await relay?.registerSubscribers()
                }
                let service = DeviceRegistryService(
                    client: database,
                    configuration: DeviceRegistryConfiguration(maximumActiveKeys: maximumActiveKeys),
                    clock: clock, relay: relay, logger: logger)
                func run(_ caller: any RPCCaller) async throws {
                    try await body(
                        RegistryFixture(
                            database: database, schema: isolated.schema, clock: clock, service: service,
                            registry: Mk_Registry_V1_DeviceRegistry.Client(caller: caller)))
                }
                guard overNetwork else {
                    try await run(RPCInProcessCaller(services: [service]))
                    return
                }
                try await LoopbackRPC.serving([service], logger: logger) { caller in
                    try await run(caller)
                }
            }
        }
    }

    /// Every row of every registry table, as text, for before/after comparisons.
    func snapshot() async throws -> [String: [String]] {
        try await TestDatabase.snapshot(of: Self.tables, in: database)
    }

    /// A random subject.
    static func newSubject() -> String { "citizen-\(UUID().uuidString.lowercased())" }

    /// Starts a pairing for `subject` and returns its code.
    func startPairing(_ subject: String) async throws -> Mk_Registry_V1_StartPairingResponse {
        try await registry.startPairing(Mk_Registry_V1_StartPairingRequest(subject: subject), options: RPCCallOptions())
    }

    /// A valid redemption request for `code` with a fresh key.
    static func completion(
        code: String, key: P256.Signing.PrivateKey = P256.Signing.PrivateKey(),
        deviceName: String = "Pixel 8", model: String = "Google Pixel 8"
    ) -> Mk_Registry_V1_CompletePairingRequest {
        var request = Mk_Registry_V1_CompletePairingRequest()
        request.activationCode = code
        request.deviceName = deviceName
        request.model = model
        request.platform = .android
        request.appVersion = "3.2.1"
        request.publicKey = Array(key.publicKey.x963Representation)
        request.pushToken = "push-token"
        return request
    }

    /// Pairs a new key for `subject`; returns it and its private key.
    func pair(
        _ subject: String, deviceName: String = "Pixel 8", model: String = "Google Pixel 8"
    ) async throws -> (device: Mk_Registry_V1_Device, key: P256.Signing.PrivateKey) {
        let code = try await startPairing(subject).activationCode
        let key = P256.Signing.PrivateKey()
        let response = try await registry.completePairing(
            Self.completion(code: code, key: key, deviceName: deviceName, model: model), options: RPCCallOptions())
        return (try #require(response.device), key)
    }

    /// Records a sign-in by another means kind.
    func recordOtherMeans(_ subject: String, _ means: Mk_Registry_V1_MeansKind) async throws {
        var request = Mk_Registry_V1_RecordUseRequest()
        request.subject = subject
        request.means = means
        _ = try await registry.recordUse(request, options: RPCCallOptions())
    }

    /// The outbox's events, in sequence order.
    func outboxEvents() async throws -> [Mk_Events_V1_Event] {
        let rows = try await database.query("SELECT payload FROM outbox_event ORDER BY sequence")
        return try rows.decode([UInt8].self).map { try Mk_Events_V1_Event(serializedBytes: $0) }
    }
}
