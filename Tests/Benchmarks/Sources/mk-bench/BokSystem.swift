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
import Preferences

/// The BOK section's system, assembled as `Tests/BokTests` assembles it: the real Device Registry,
/// Preferences and BOK services, each on a fresh role and schema of its own in the benchmark
/// cluster and behind its own `RPCServer` on loopback, calling each other through `RPCClient`s.
/// The BOK service runs with the production Argon2id parameters and hash-concurrency bound.
struct BokSystem: Sendable {
    static let registryRole = "mkbench_bok_registry"
    static let preferencesRole = "mkbench_bok_preferences"
    static let bokRole = "mkbench_bok"

    let bok: Mk_Bok_V1_Bok.Client
    let registry: Mk_Registry_V1_DeviceRegistry.Client
    let hpkeKey: BokHpkeKey

    /// Runs `body` with a fresh system whose BOK service uses `configuration`.
    static func with<Result: Sendable>(
        adminURL: String, configuration: BokConfiguration, logger: Logger,
        _ body: (BokSystem, _ deliverRegistryEvents: () async throws -> Void) async throws -> Result
    ) async throws -> Result {
        let registryDatabase = try await BenchDatabase.service(
            url: adminURL, role: registryRole, fresh: true, connections: 16, logger: logger)
        return try await BenchDatabase.using(registryDatabase) { registryDatabase in
            let preferencesDatabase = try await BenchDatabase.service(
                url: adminURL, role: preferencesRole, fresh: true, connections: 16, logger: logger)
            return try await BenchDatabase.using(preferencesDatabase) { preferencesDatabase in
                let bokDatabase = try await BenchDatabase.service(
                    url: adminURL, role: bokRole, fresh: true, connections: 16, logger: logger)
                return try await BenchDatabase.using(bokDatabase) { bokDatabase in
                    try await DeviceRegistryMigrations.apply(to: registryDatabase, schema: registryRole)
                    try await PreferencesMigrations.apply(to: preferencesDatabase, schema: preferencesRole)
                    try await BokMigrations.apply(to: bokDatabase, schema: bokRole)
                    let registryService = DeviceRegistryService(client: registryDatabase, logger: logger)
                    let preferencesServices: [any RPCService] = [
                        PreferencesService(client: preferencesDatabase, logger: logger),
                        PreferencesEventSink(client: preferencesDatabase),
                    ]
                    return try await BenchRPC.serving([registryService], logger: logger) { registryCaller in
                        try await BenchRPC.serving(preferencesServices, logger: logger) { preferencesCaller in
                            // The registry's DEVICE_PAIRED events switch BOK-pad on in Preferences.
                            let preferences = OutboxSubscriber(name: "preferences", caller: preferencesCaller)
                            let relay = OutboxRelay(
                                client: registryDatabase, subscribers: [preferences],
                                configuration: OutboxRelayConfiguration(producer: "device-registry"), logger: logger)
                            try await relay.registerSubscribers()
                            let hpkeKey = BokHpkeKey.generate()
                            let peppers = try PepperKeyring(
                                current: "bench", secrets: ["bench": (0..<32).map { _ in UInt8.random(in: 0...255) }])
                            let service = BokService(
                                client: bokDatabase, peppers: peppers, hpkeKey: hpkeKey, registry: registryCaller,
                                preferences: preferencesCaller, configuration: configuration)
                            return try await BenchRPC.serving([service], logger: logger) { bokCaller in
                                let system = BokSystem(
                                    bok: Mk_Bok_V1_Bok.Client(caller: bokCaller),
                                    registry: Mk_Registry_V1_DeviceRegistry.Client(caller: registryCaller),
                                    hpkeKey: hpkeKey)
                                return try await body(system) {
                                    while case .delivered = try await relay.deliverBatch(to: preferences) {}
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A citizen of the BOK section: a key paired through the registry, a BOK set through the BOK
/// service, and a counter of its own at which its verifications start.
struct BokCitizen: Sendable {
    static let officeName = "Magistrát města Brna"

    let subject: String
    let deviceID: String
    let signingKey: P256.Signing.PrivateKey
    let code: String
    let office: Mk_Bok_V1_Office

    /// Pairs a key for citizen `index` through the registry's real pairing calls (its BOK-pad
    /// switch comes on when the registry's events reach Preferences).
    static func pair(_ index: Int, in system: BokSystem) async throws -> BokCitizen {
        let subject = "nb-subject:bokbench-\(index)"
        let started = try await system.registry.startPairing(.init(subject: subject))
        let key = P256.Signing.PrivateKey()
        var completion = Mk_Registry_V1_CompletePairingRequest()
        completion.activationCode = started.activationCode
        completion.deviceName = "Telefon \(index)"
        completion.model = "Google Pixel 8"
        completion.platform = .android
        completion.appVersion = "3.2.1"
        completion.publicKey = Array(key.publicKey.x963Representation)
        guard let device = try await system.registry.completePairing(completion).device else {
            throw BenchError("CompletePairing returned no device")
        }
        return BokCitizen(
            subject: subject, deviceID: device.deviceId, signingKey: key,
            code: String(format: "%06d", Int.random(in: 0...999_999)),
            office: Mk_Bok_V1_Office(officeId: "orp-brno", officeName: officeName, counterId: "c-\(index)"))
    }

    /// Sets the citizen's BOK (one Argon2id hash in the service).
    func setBok(in system: BokSystem) async throws {
        let response = try await system.bok.setBok(
            .init(office: office, subject: subject, code: code), options: Self.callOptions)
        guard response.state == .active else { throw BenchError("SetBok left the BOK \(response.state)") }
    }

    /// Deadline of a verification's calls: an answer waits for a hash slot until its deadline,
    /// and on a loaded 2-core machine a hash can take seconds, so the RPC default (10 s) is too
    /// tight for a benchmark that must not lose calls.
    static let callOptions = RPCCallOptions(timeout: .seconds(60))

    /// One complete verification: the counter starts it, the phone answers with the right BOK
    /// (sealed and signed as the app does it), and the answer must come back VERIFIED.
    func verify(in system: BokSystem) async throws {
        let started = try await system.bok.startVerification(
            .init(office: office, subject: subject, purpose: "Výpis z rejstříku trestů"), options: Self.callOptions)
        let answered = try await system.bok.submitAnswer(
            try answer(requestID: started.requestId, counterCode: started.counterCode, hpkeKey: system.hpkeKey),
            options: Self.callOptions)
        guard answered.state == .verified else { throw BenchError("a right BOK was answered \(answered.state)") }
    }

    /// The answer as the app builds it: the BOK sealed with HPKE to the service's public key
    /// (info "mk-bok-v1" ‖ request id, additional data the counter code), signed by the key.
    func answer(requestID: String, counterCode: String, hpkeKey: BokHpkeKey) throws -> Mk_Bok_V1_SubmitAnswerRequest {
        let publicKey = try P256.KeyAgreement.PublicKey(x963Representation: hpkeKey.publicKeyX963)
        let suite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
        var sender = try HPKE.Sender(
            recipientKey: publicKey, ciphersuite: suite, info: Data(BokHpkeKey.infoPrefix + Array(requestID.utf8)))
        let ciphertext = Array(try sender.seal(Array(code.utf8), authenticating: Array(counterCode.utf8)))
        let encapsulatedKey = Array(sender.encapsulatedKey)
        let signedAt = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        let payload = BokAnswerSignature.payload(
            requestID: requestID, counterCode: counterCode, encapsulatedKey: encapsulatedKey, ciphertext: ciphertext,
            signedAtUnixMicros: signedAt)
        let signature = try signingKey.signature(for: payload)
        return Mk_Bok_V1_SubmitAnswerRequest(
            requestId: requestID, subject: subject, deviceId: deviceID, counterCode: counterCode,
            encryptedBok: Mk_Bok_V1_EncryptedBok(
                keyId: hpkeKey.keyID, encapsulatedKey: encapsulatedKey, ciphertext: ciphertext),
            signedAtUnixMicros: signedAt, signature: Array(signature.derRepresentation))
    }
}
