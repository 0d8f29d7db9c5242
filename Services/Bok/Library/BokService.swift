internal import Foundation
internal import Logging
public import MKContracts
public import MKMessages
public import MKPostgres
public import MKRPC
public import MKServiceRuntime
internal import NIOPosix

/// The `mk.bok.v1.Bok` service: validates each request (INVALID_ARGUMENT naming the field, before
/// anything is touched), asks the Device Registry and Preferences what it needs before changing
/// anything, runs each change as a transaction, and turns every failure into a wire status in one
/// place. A BOK exists in clear only in this process's memory, only while it is hashed.
public struct BokService: Mk_Bok_V1_Bok.ServiceProtocol {
    private let store: BokStore
    private let hasher: CredentialHasher
    private let hpkeKey: BokHpkeKey
    private let peers: BokPeers

    /// Creates the service over `client` (whose connections use the BOK schema), keyed by
    /// `peppers`, decrypting answers with `hpkeKey`, and calling the Device Registry and
    /// Preferences through `registry` and `preferences`.
    public init(
        client: PostgresClient,
        peppers: PepperKeyring,
        hpkeKey: BokHpkeKey,
        registry: any RPCCaller,
        preferences: any RPCCaller,
        configuration: BokConfiguration = BokConfiguration(),
        clock: any WallClock = SystemWallClock()
    ) {
        let hasher = CredentialHasher(
            parameters: configuration.argon2,
            peppers: peppers,
            limiter: HashLimiter(permits: configuration.hashConcurrency, maximumWaiters: configuration.maximumHashWaiters),
            threadPool: NIOThreadPool.singleton,
            defaultWait: configuration.defaultHashWait)
        self.hasher = hasher
        self.store = BokStore(client: client, clock: clock, hasher: hasher, configuration: configuration)
        self.hpkeKey = hpkeKey
        self.peers = BokPeers(
            registry: Mk_Registry_V1_DeviceRegistry.Client(caller: registry),
            preferences: Mk_Preferences_V1_Preferences.Client(caller: preferences))
    }

    /// Closes requests nobody will answer any more (expired ones, and answers whose process died
    /// while checking); returns how many. ``VerificationExpirer`` calls it periodically.
    public func expireDueVerifications() async throws -> Int {
        try await store.expireDue()
    }

    /// Runs `body`, mapping its errors to wire statuses.
    private func serve<Response>(_ context: RPCContext, _ body: () async throws -> Response) async throws(RPCError)
        -> Response
    {
        do {
            return try await body()
        } catch {
            throw ServiceFailure.rpcError(for: error, service: "BOK service", logger: context.logger)
        }
    }

    /// Serves `SetBok`.
    public func setBok(_ request: Mk_Bok_V1_SetBokRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_SetBokResponse
    {
        try await serve(context) {
            let office = try BokValidation.office(request.office, counterRequired: false)
            let subject = try RequestValidation.subject(request.subject)
            let code = try BokValidation.code(request.code, field: "code")
            guard try await !store.hasBok(subject) else { throw BokFailure.bokExists }
            let stored = try await hasher.withPermit(deadline: context.deadline) {
                try await hasher.store(code, subject: subject)
            }
            try await store.setBok(stored, for: subject, office: office, origin: CallOrigin(context))
            return Mk_Bok_V1_SetBokResponse(state: .active)
        }
    }

    /// Serves `UnblockBok`.
    public func unblockBok(_ request: Mk_Bok_V1_UnblockBokRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_UnblockBokResponse
    {
        try await serve(context) {
            let office = try BokValidation.office(request.office, counterRequired: false)
            let subject = try RequestValidation.subject(request.subject)
            let code = try BokValidation.code(request.newCode, field: "new_code")
            guard try await store.hasBok(subject) else { throw BokFailure.noBokToReplace }
            let stored = try await hasher.withPermit(deadline: context.deadline) {
                try await hasher.store(code, subject: subject)
            }
            try await store.unblockBok(stored, for: subject, office: office, origin: CallOrigin(context))
            return Mk_Bok_V1_UnblockBokResponse(state: .active)
        }
    }

    /// Serves `ClearBok`.
    public func clearBok(_ request: Mk_Bok_V1_ClearBokRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_ClearBokResponse
    {
        try await serve(context) {
            let office = try BokValidation.office(request.office, counterRequired: false)
            let subject = try RequestValidation.subject(request.subject)
            try await store.clearBok(for: subject, office: office, origin: CallOrigin(context))
            return Mk_Bok_V1_ClearBokResponse(state: .none)
        }
    }

    /// Serves `GetBokStatus`.
    public func getBokStatus(_ request: Mk_Bok_V1_GetBokStatusRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_GetBokStatusResponse
    {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let status = try await store.status(of: subject)
            return Mk_Bok_V1_GetBokStatusResponse(state: status.state, attemptsLeft: UInt32(status.attemptsLeft))
        }
    }

    /// Serves `StartVerification`.
    public func startVerification(_ request: Mk_Bok_V1_StartVerificationRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_StartVerificationResponse
    {
        try await serve(context) {
            let office = try BokValidation.office(request.office, counterRequired: true)
            let subject = try RequestValidation.subject(request.subject)
            let purpose = try BokValidation.text(request.purpose, field: "purpose", maximum: 200)
            // Cheap refusals first, so a citizen without a usable BOK costs no peer calls.
            switch try await store.status(of: subject).state {
            case .none: throw BokFailure.noBok
            case .blocked: throw BokFailure.blocked
            default: break
            }
            guard try await !peers.bokPadKeys(of: subject, logger: context.logger).isEmpty else {
                throw BokFailure.noBokPadKey
            }
            let started = try await store.startVerification(
                subject: subject, office: office, purpose: purpose, origin: CallOrigin(context))
            return Mk_Bok_V1_StartVerificationResponse(
                requestId: started.id.lowercaseText, counterCode: started.counterCode.text,
                expiresAtUnixMicros: UnixMicros.from(started.expiresAt))
        }
    }

    /// Serves `GetVerification`.
    public func getVerification(_ request: Mk_Bok_V1_GetVerificationRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_GetVerificationResponse
    {
        try await serve(context) {
            let office = try BokValidation.office(request.office, counterRequired: false)
            let id = try RequestValidation.uuid(request.requestId, field: "request_id")
            let verification = try await store.verification(id, officeID: office.id, origin: CallOrigin(context))
            return Mk_Bok_V1_GetVerificationResponse(verification: verification)
        }
    }

    /// Serves `CancelVerification`.
    public func cancelVerification(_ request: Mk_Bok_V1_CancelVerificationRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_CancelVerificationResponse
    {
        try await serve(context) {
            let office = try BokValidation.office(request.office, counterRequired: false)
            let id = try RequestValidation.uuid(request.requestId, field: "request_id")
            let verification = try await store.cancelVerification(id, officeID: office.id, origin: CallOrigin(context))
            return Mk_Bok_V1_CancelVerificationResponse(verification: verification)
        }
    }

    /// Serves `ListPrompts`: the pending prompt for an active key of the subject with BOK-pad on;
    /// none for a key with BOK-pad off; NOT_FOUND for a key that is not the subject's.
    public func listPrompts(_ request: Mk_Bok_V1_ListPromptsRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_ListPromptsResponse
    {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            guard try await peers.isBokPadKey(deviceID, of: subject, logger: context.logger) else {
                return Mk_Bok_V1_ListPromptsResponse()
            }
            let prompt = try await store.prompt(for: subject, origin: CallOrigin(context))
            return Mk_Bok_V1_ListPromptsResponse(prompts: prompt.map { [$0] } ?? [])
        }
    }

    /// Serves `SubmitAnswer`. Order matters: every check that can refuse without counting runs
    /// first (input, signature, BOK-pad, decryption); then a hash slot is taken, the request is
    /// claimed and the failure counted atomically, and only then is the BOK hashed and compared.
    public func submitAnswer(_ request: Mk_Bok_V1_SubmitAnswerRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_SubmitAnswerResponse
    {
        try await serve(context) {
            let requestID = try BokValidation.requestID(request.requestId)
            let subject = try RequestValidation.subject(request.subject)
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            let counterCode = try BokValidation.counterCode(request.counterCode)
            guard let encrypted = request.encryptedBok else {
                throw RequestValidation.invalid("encrypted_bok", "is required")
            }
            guard encrypted.keyId == hpkeKey.keyID else { throw BokFailure.unknownHpkeKey }
            guard encrypted.encapsulatedKey.count == 65 else {
                throw RequestValidation.invalid(
                    "encrypted_bok.encapsulated_key", "must be 65 bytes (an X9.63 P-256 point)")
            }
            guard (1...BokHpkeKey.maximumCiphertextBytes).contains(encrypted.ciphertext.count) else {
                throw RequestValidation.invalid(
                    "encrypted_bok.ciphertext", "must be 1 to \(BokHpkeKey.maximumCiphertextBytes) bytes")
            }
            guard request.signedAtUnixMicros > 0 else {
                throw RequestValidation.invalid("signed_at_unix_micros", "is required")
            }
            guard (1...128).contains(request.signature.count) else {
                throw RequestValidation.invalid("signature", "must be 1 to 128 bytes")
            }
            let payload = BokAnswerSignature.payload(
                requestID: request.requestId, counterCode: counterCode.text, encapsulatedKey: encrypted.encapsulatedKey,
                ciphertext: encrypted.ciphertext, signedAtUnixMicros: request.signedAtUnixMicros)
            let signer = try await peers.signer(
                of: payload, signedAtUnixMicros: request.signedAtUnixMicros, deviceID: deviceID,
                signature: request.signature, logger: context.logger)
            guard signer == subject else { throw BokFailure.badSignature }
            guard try await peers.isBokPadKey(deviceID, of: subject, logger: context.logger) else {
                throw BokFailure.bokPadOff
            }
            guard let plaintext = hpkeKey.open(encrypted, requestID: request.requestId, counterCode: counterCode.text)
            else { throw BokFailure.undecryptable }
            guard let code = BokCode(bytes: plaintext) else { throw BokFailure.malformedBok }
            let origin = CallOrigin(context)
            let outcome = try await hasher.withPermit(deadline: context.deadline) {
                switch try await store.claimAnswer(
                    requestID: requestID, subject: subject, deviceID: deviceID, counterCode: counterCode, origin: origin)
                {
                case .finished(let status, let attemptsLeft):
                    return (status: status, attemptsLeft: attemptsLeft)
                case .claimed(let claimed):
                    let check = try await hasher.check(code, subject: subject, against: claimed.stored)
                    return try await store.finishAnswer(claimed, check: check, origin: origin)
                }
            }
            return Mk_Bok_V1_SubmitAnswerResponse(
                state: outcome.status.message, attemptsLeft: UInt32(outcome.attemptsLeft))
        }
    }

    /// Serves `GetHpkePublicKey`.
    public func getHpkePublicKey(_ request: Mk_Bok_V1_GetHpkePublicKeyRequest, context: RPCContext) async throws
        -> Mk_Bok_V1_GetHpkePublicKeyResponse
    {
        Mk_Bok_V1_GetHpkePublicKeyResponse(keyId: hpkeKey.keyID, publicKey: hpkeKey.publicKeyX963)
    }

    /// Serves `ListVerificationHistory`.
    public func listVerificationHistory(
        _ request: Mk_Bok_V1_ListVerificationHistoryRequest, context: RPCContext
    ) async throws -> Mk_Bok_V1_ListVerificationHistoryResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            guard request.limit <= 200 else { throw RequestValidation.invalid("limit", "must be from 0 to 200") }
            let entries = try await store.history(of: subject, limit: request.limit == 0 ? 50 : Int(request.limit))
            return Mk_Bok_V1_ListVerificationHistoryResponse(entries: entries)
        }
    }
}
