import Bok
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
import Preferences
import Testing

/// One test's system: the real Device Registry, Preferences and BOK services, each on its own
/// isolated schema and served by an `RPCServer` on a loopback port, talking to each other over
/// real RPC clients, with one manual clock. Events of the registry reach Preferences through the
/// registry's real outbox relay (driven by the test), so BOK-pad is switched on by the real path.
struct BokFixture {
    static let logger = Logger(label: "bok-test")
    static let office = Mk_Bok_V1_Office(officeId: "orp-brno", officeName: "Magistrát města Brna", counterId: "c-1")
    static let otherOffice = Mk_Bok_V1_Office(officeId: "orp-praha", officeName: "Magistrát Prahy", counterId: "c-9")
    static let testArgon2 = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)

    let clock: ManualClock
    let bokDatabase: PostgresClient
    let bokSchema: IsolatedSchema
    let bok: Mk_Bok_V1_Bok.Client
    let registry: Mk_Registry_V1_DeviceRegistry.Client
    let preferences: Mk_Preferences_V1_Preferences.Client
    let registryCaller: any RPCCaller
    let preferencesCaller: any RPCCaller
    let registryRelay: OutboxRelay
    let hpkeKey: BokHpkeKey
    let peppers: PepperKeyring
    let configuration: BokConfiguration

    /// A test configuration: tiny Argon2 parameters so tests stay fast.
    static func configuration(
        argon2: Argon2Parameters = testArgon2, citizenLimit: Int = 100, counterLimit: Int = 1000
    ) -> BokConfiguration {
        BokConfiguration(
            argon2: argon2, hashConcurrency: 2, verificationsPerCitizenPer10Minutes: citizenLimit,
            verificationsPerCounterPerHour: counterLimit)
    }

    /// A keyring with one random pepper named `id`.
    static func peppers(_ id: String = "p1") throws -> PepperKeyring {
        try PepperKeyring(current: id, secrets: [id: randomBytes(32)])
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Runs `body` with a fresh system.
    static func with(
        configuration: BokConfiguration = configuration(),
        peppers: PepperKeyring? = nil,
        _ body: (BokFixture) async throws -> Void
    ) async throws {
        let peppers = try peppers ?? Self.peppers()
        try await TestDatabase.withIsolatedSchema(prefix: "bokreg") { registrySchema in
            try await TestDatabase.withIsolatedSchema(prefix: "bokpref") { preferencesSchema in
                try await TestDatabase.withIsolatedSchema(prefix: "bok") { bokSchema in
                    try await registrySchema.withClient { registryDatabase in
                        try await preferencesSchema.withClient { preferencesDatabase in
                            try await bokSchema.withClient { bokDatabase in
                                try await DeviceRegistryMigrations.apply(to: registryDatabase, schema: registrySchema.schema)
                                try await PreferencesMigrations.apply(
                                    to: preferencesDatabase, schema: preferencesSchema.schema)
                                try await BokMigrations.apply(to: bokDatabase, schema: bokSchema.schema)
                                let clock = ManualClock()
                                let registryService = DeviceRegistryService(
                                    client: registryDatabase, clock: clock, logger: logger)
                                let preferencesServices: [any RPCService] = [
                                    PreferencesService(client: preferencesDatabase, clock: clock, logger: logger),
                                    PreferencesEventSink(client: preferencesDatabase, clock: clock),
                                ]
                                try await LoopbackRPC.serving([registryService], logger: logger) { registryCaller in
                                    try await LoopbackRPC.serving(preferencesServices, logger: logger) {
                                        preferencesCaller in
                                        let relay = OutboxRelay(
                                            client: registryDatabase,
                                            subscribers: [OutboxSubscriber(name: "preferences", caller: preferencesCaller)],
                                            configuration: OutboxRelayConfiguration(producer: "device-registry"),
                                            logger: logger)
                                        try await relay.registerSubscribers()
                                        let hpkeKey = BokHpkeKey.generate()
                                        let service = BokService(
                                            client: bokDatabase, peppers: peppers, hpkeKey: hpkeKey,
                                            registry: registryCaller, preferences: preferencesCaller,
                                            configuration: configuration, clock: clock)
                                        try await LoopbackRPC.serving([service], logger: logger) { bokCaller in
                                            try await body(
                                                BokFixture(
                                                    clock: clock, bokDatabase: bokDatabase, bokSchema: bokSchema,
                                                    bok: Mk_Bok_V1_Bok.Client(caller: bokCaller),
                                                    registry: Mk_Registry_V1_DeviceRegistry.Client(caller: registryCaller),
                                                    preferences: Mk_Preferences_V1_Preferences.Client(
                                                        caller: preferencesCaller),
                                                    registryCaller: registryCaller, preferencesCaller: preferencesCaller,
                                                    registryRelay: relay, hpkeKey: hpkeKey, peppers: peppers,
                                                    configuration: configuration))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A second BOK service instance over the same schema, with its own database pool and server,
    /// as after a restart; `body` gets a client for it.
    func restartedBok(peppers: PepperKeyring? = nil, configuration: BokConfiguration? = nil,
                      _ body: (Mk_Bok_V1_Bok.Client) async throws -> Void) async throws {
        try await bokSchema.withClient { database in
            let service = BokService(
                client: database, peppers: peppers ?? self.peppers, hpkeKey: hpkeKey, registry: registryCaller,
                preferences: preferencesCaller, configuration: configuration ?? self.configuration, clock: clock)
            try await LoopbackRPC.serving([service], logger: Self.logger) { caller in
                try await body(Mk_Bok_V1_Bok.Client(caller: caller))
            }
        }
    }

    /// A random subject.
    static func newSubject() -> String { "citizen-\(UUID().uuidString.lowercased())" }

    /// A paired key of a citizen: its id and private key.
    struct Key {
        var deviceID: String
        var privateKey: P256.Signing.PrivateKey
    }

    /// Pairs a new key for `subject` through the real registry and delivers the registry's events
    /// to Preferences, which switches BOK-pad on for it.
    func pair(_ subject: String) async throws -> Key {
        let start = try await registry.startPairing(.init(subject: subject))
        let key = P256.Signing.PrivateKey()
        var completion = Mk_Registry_V1_CompletePairingRequest()
        completion.activationCode = start.activationCode
        completion.deviceName = "Pixel 8"
        completion.model = "Google Pixel 8"
        completion.platform = .android
        completion.appVersion = "3.2.1"
        completion.publicKey = Array(key.publicKey.x963Representation)
        let device = try #require(try await registry.completePairing(completion).device)
        try await deliverRegistryEvents()
        return Key(deviceID: device.deviceId, privateKey: key)
    }

    /// Delivers every pending registry event to Preferences.
    func deliverRegistryEvents() async throws {
        for subscriber in [OutboxSubscriber(name: "preferences", caller: preferencesCaller)] {
            while case .delivered = try await registryRelay.deliverBatch(to: subscriber) {}
        }
    }

    /// Sets the BOK-pad switch of `key` through Preferences' real SaveSettings.
    func setBokPad(_ enabled: Bool, for key: Key, of subject: String) async throws {
        var settings = try #require(try await preferences.getSettings(.init(subject: subject)).settings)
        for index in settings.devices.indices where settings.devices[index].deviceId == key.deviceID {
            settings.devices[index].bokPad = enabled
        }
        _ = try await preferences.saveSettings(.init(subject: subject, settings: settings))
    }

    /// Sets `code` as the citizen's BOK.
    func setBok(_ subject: String, _ code: String) async throws {
        let response = try await bok.setBok(.init(office: Self.office, subject: subject, code: code))
        #expect(response.state == .active)
    }

    /// Starts a verification at `office`.
    func start(_ subject: String, office: Mk_Bok_V1_Office = office, purpose: String = "Výpis z rejstříku trestů")
        async throws -> Mk_Bok_V1_StartVerificationResponse
    {
        try await bok.startVerification(.init(office: office, subject: subject, purpose: purpose))
    }

    /// An answer built like the app builds it: the BOK sealed with HPKE to the service's public key
    /// (info "mk-bok-v1" || request id, additional data the counter code), signed by `key`. The
    /// overrides build deliberately wrong answers.
    func answer(
        _ requestID: String,
        subject: String,
        key: Key,
        counterCode: String,
        bok code: String,
        signedRequestID: String? = nil,
        signedAt: Date? = nil
    ) throws -> Mk_Bok_V1_SubmitAnswerRequest {
        let publicKey = try P256.KeyAgreement.PublicKey(x963Representation: hpkeKey.publicKeyX963)
        let suite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
        var sender = try HPKE.Sender(
            recipientKey: publicKey, ciphersuite: suite, info: Data(BokHpkeKey.infoPrefix + Array(requestID.utf8)))
        let ciphertext = Array(try sender.seal(Array(code.utf8), authenticating: Array(counterCode.utf8)))
        let encapsulatedKey = Array(sender.encapsulatedKey)
        let signedAtMicros = Int64(((signedAt ?? clock.now()).timeIntervalSince1970 * 1_000_000).rounded())
        let payload = BokAnswerSignature.payload(
            requestID: signedRequestID ?? requestID, counterCode: counterCode, encapsulatedKey: encapsulatedKey,
            ciphertext: ciphertext, signedAtUnixMicros: signedAtMicros)
        let signature = try key.privateKey.signature(for: payload)
        return Mk_Bok_V1_SubmitAnswerRequest(
            requestId: requestID, subject: subject, deviceId: key.deviceID, counterCode: counterCode,
            encryptedBok: Mk_Bok_V1_EncryptedBok(
                keyId: hpkeKey.keyID, encapsulatedKey: encapsulatedKey, ciphertext: ciphertext),
            signedAtUnixMicros: signedAtMicros, signature: Array(signature.derRepresentation))
    }

    /// `request` signed again by `key` over its current fields (to get malformed parts past the
    /// signature check).
    func resign(_ request: Mk_Bok_V1_SubmitAnswerRequest, key: Key) throws -> Mk_Bok_V1_SubmitAnswerRequest {
        var request = request
        let payload = BokAnswerSignature.payload(
            requestID: request.requestId, counterCode: request.counterCode,
            encapsulatedKey: request.encryptedBok?.encapsulatedKey ?? [],
            ciphertext: request.encryptedBok?.ciphertext ?? [], signedAtUnixMicros: request.signedAtUnixMicros)
        request.signature = Array(try key.privateKey.signature(for: payload).derRepresentation)
        return request
    }

    /// Submits an app-built answer.
    func submit(
        _ started: Mk_Bok_V1_StartVerificationResponse, subject: String, key: Key, bok code: String,
        counterCode: String? = nil
    ) async throws -> Mk_Bok_V1_SubmitAnswerResponse {
        try await bok.submitAnswer(
            answer(started.requestId, subject: subject, key: key, counterCode: counterCode ?? started.counterCode, bok: code))
    }

    /// The stored failure count, straight from the database; `nil` without a BOK.
    func failures(_ subject: String) async throws -> Int? {
        try await bokDatabase.query("SELECT failures FROM credential WHERE subject = \(subject)").decodeFirst(Int.self)
    }

    /// The stored credential's hashing fields.
    func credentialRow(_ subject: String) async throws -> (keyID: String, memoryKiB: Int, iterations: Int, salt: [UInt8]) {
        let row = try await bokDatabase.query(
            "SELECT pepper_key_id, memory_kib, iterations, salt FROM credential WHERE subject = \(subject)"
        ).single((String, Int, Int, [UInt8]).self)
        return (row.0, row.1, row.2, row.3)
    }

    /// A verification row's state column.
    func requestState(_ requestID: String) async throws -> String? {
        let id = try #require(UUID(uuidString: requestID))
        return try await bokDatabase.query("SELECT state FROM verification WHERE id = \(id)").decodeFirst(String.self)
    }

    /// How `subject`'s verifications ended and its BOK changed: the outbox's BOK outcomes in
    /// sequence order without the STARTED notice every start publishes (see ``allOutcomes(_:)``).
    func outcomes(_ subject: String) async throws -> [Mk_Events_V1_BokOutcome] {
        try await allOutcomes(subject).filter { $0.result != .started }
    }

    /// Every BOK outcome event of `subject` in the outbox, in sequence order.
    func allOutcomes(_ subject: String) async throws -> [Mk_Events_V1_BokOutcome] {
        let rows = try await bokDatabase.query(
            "SELECT payload FROM outbox_event WHERE subject = \(subject) ORDER BY sequence")
        return try rows.decode([UInt8].self).map { try Mk_Events_V1_Event(serializedBytes: $0) }.compactMap(\.bokOutcome)
    }

    /// Audit actions of `subject`, oldest first.
    func auditActions(_ subject: String) async throws -> [String] {
        try await bokDatabase.query("SELECT action FROM audit WHERE subject = \(subject) ORDER BY id").decode(String.self)
    }
}
