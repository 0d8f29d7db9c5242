internal import Foundation
public import Logging
public import MKMessages
public import MKContracts
public import MKEvents
public import MKPostgres
public import MKRPC
public import MKServiceRuntime

/// The `mk.registry.v1.DeviceRegistry` service: validates each request (INVALID_ARGUMENT naming
/// the field, before touching the database), runs it as one transaction, and turns every failure
/// into a wire status in one place.
public struct DeviceRegistryService: Mk_Registry_V1_DeviceRegistry.ServiceProtocol {
    private let store: RegistryStore
    /// Concurrent `RecordUse` calls, recorded together (``RegistryStore/recordUses(_:)``).
    private let signIns: BatchQueue<(signIn: RegistryStore.SignIn, origin: CallOrigin), Bool>
    private let relay: OutboxRelay?
    private let logger: Logger

    /// Creates the service over `client`, whose connections use the registry's schema. With a
    /// `relay`, a pairing, rename or unpairing answers once the relay delivered its event to the
    /// subscribers (waiting at most its ``OutboxRelayConfiguration/promptDeliveryLimit``), so the
    /// citizen's next read in Preferences already shows the change.
    public init(
        client: PostgresClient,
        configuration: DeviceRegistryConfiguration = DeviceRegistryConfiguration(),
        clock: any WallClock = SystemWallClock(),
        relay: OutboxRelay? = nil,
        logger: Logger
    ) {
        let store = RegistryStore(
            client: client, clock: clock, maximumActiveKeys: configuration.maximumActiveKeys)
        self.store = store
        self.signIns = BatchQueue(
            batchLimit: configuration.signInBatchLimit, lanes: configuration.signInBatchLanes
        ) { batch in await store.recordUses(batch, logger: logger) }
        self.relay = relay
        self.logger = logger
    }

    /// Delivers the citizen's change `event` to the subscribers before the call answers. A
    /// subscriber that is down or slow does not fail the call: the relay's poller delivers later.
    private func deliverPromptly(_ event: Int64?, context: RPCContext) async {
        guard let event, let relay, !(await relay.deliverPromptly(through: event)) else { return }
        context.logger.notice(
            "event not delivered before answering; the relay delivers it later", metadata: ["sequence": "\(event)"])
    }

    /// Runs `body`, mapping its errors to wire statuses.
    private func serve<Response>(_ context: RPCContext, _ body: () async throws -> Response) async throws(RPCError)
        -> Response
    {
        do {
            return try await body()
        } catch {
            throw ServiceFailure.rpcError(for: error, service: "device registry", logger: context.logger)
        }
    }

    /// Serves `StartPairing`.
    public func startPairing(
        _ request: Mk_Registry_V1_StartPairingRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_StartPairingResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let issued = try await store.startPairing(subject: subject, origin: CallOrigin(context))
            var response = Mk_Registry_V1_StartPairingResponse()
            response.pairingId = issued.id.lowercaseText
            response.activationCode = issued.code.text
            response.expiresAtUnixMicros = UnixMicros.from(issued.expiresAt)
            return response
        }
    }

    /// Serves `GetPairing`.
    public func getPairing(
        _ request: Mk_Registry_V1_GetPairingRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_GetPairingResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let pairingID = try RequestValidation.uuid(request.pairingId, field: "pairing_id")
            return try await store.pairing(pairingID, of: subject)
        }
    }

    /// Serves `CompletePairing`.
    public func completePairing(
        _ request: Mk_Registry_V1_CompletePairingRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_CompletePairingResponse {
        try await serve(context) {
            guard let code = ActivationCode.parse(request.activationCode) else {
                throw RequestValidation.invalid(
                    "activation_code", "must be \(ActivationCode.length) characters of \(String(ActivationCode.alphabet))")
            }
            guard request.platform == .android || request.platform == .ios else {
                throw RequestValidation.invalid("platform", "must be ANDROID or IOS")
            }
            guard let publicKey = DeviceKey(x963: request.publicKey) else {
                throw RequestValidation.invalid(
                    "public_key", "must be a P-256 public key in X9.63 uncompressed form (65 bytes)")
            }
            guard request.pushToken.utf8.count <= Validation.maximumPushTokenBytes else {
                throw RequestValidation.invalid(
                    "push_token", "must be at most \(Validation.maximumPushTokenBytes) bytes")
            }
            let device = RegistryStore.NewDevice(
                deviceName: try Validation.visibleText(request.deviceName, field: "device_name", maximum: 64),
                model: try Validation.visibleText(request.model, field: "model", maximum: 64),
                platform: request.platform,
                appVersion: try Validation.visibleText(request.appVersion, field: "app_version", maximum: 32),
                publicKey: publicKey,
                pushToken: try Validation.optionalText(
                    request.pushToken, field: "push_token", maximum: Validation.maximumPushTokenBytes))
            let (record, event) = try await store.completePairing(
                code: code, device: device, origin: CallOrigin(context))
            await deliverPromptly(event, context: context)
            var response = Mk_Registry_V1_CompletePairingResponse()
            response.device = record.message
            return response
        }
    }

    /// Serves `ListDevices`.
    public func listDevices(
        _ request: Mk_Registry_V1_ListDevicesRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_ListDevicesResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            var response = Mk_Registry_V1_ListDevicesResponse()
            response.devices = try await store.activeDevices(of: subject).map(\.message)
            return response
        }
    }

    /// Serves `GetDevice`.
    public func getDevice(
        _ request: Mk_Registry_V1_GetDeviceRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_GetDeviceResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            var response = Mk_Registry_V1_GetDeviceResponse()
            response.device = try await store.activeDevice(deviceID, of: subject).message
            return response
        }
    }

    /// Serves `RenameDevice`.
    public func renameDevice(
        _ request: Mk_Registry_V1_RenameDeviceRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_RenameDeviceResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            let name = DisplayName.trimmed(request.displayName)
            if !name.isEmpty {
                try DisplayName.check(name, field: "display_name")
            }
            let (record, event) = try await store.rename(
                deviceID, of: subject, to: name.isEmpty ? nil : name, origin: CallOrigin(context))
            await deliverPromptly(event, context: context)
            var response = Mk_Registry_V1_RenameDeviceResponse()
            response.device = record.message
            return response
        }
    }

    /// Serves `UnpairDevice`.
    public func unpairDevice(
        _ request: Mk_Registry_V1_UnpairDeviceRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_UnpairDeviceResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            let reason: Mk_Registry_V1_UnpairReason
            switch request.reason {
            case .unspecified, .citizen: reason = .citizen
            case .notMe, .operator: reason = request.reason
            case .unrecognized: throw RequestValidation.invalid("reason", "must be CITIZEN, NOT_ME or OPERATOR")
            }
            let outcome = try await store.unpair(
                deviceID, of: subject, confirmLastMeans: request.confirmLastMeans, reason: reason,
                origin: CallOrigin(context))
            await deliverPromptly(outcome.event, context: context)
            var response = Mk_Registry_V1_UnpairDeviceResponse()
            response.unpaired = outcome.unpaired
            response.noMeansLeft = outcome.noMeansLeft
            return response
        }
    }

    /// Serves `CheckLastMeans`.
    public func checkLastMeans(
        _ request: Mk_Registry_V1_CheckLastMeansRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_CheckLastMeansResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            var response = Mk_Registry_V1_CheckLastMeansResponse()
            response.lastMeans = try await store.isLastMeans(deviceID, of: subject)
            return response
        }
    }

    /// Serves `ListDeviceHistory`.
    public func listDeviceHistory(
        _ request: Mk_Registry_V1_ListDeviceHistoryRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_ListDeviceHistoryResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            guard request.limit <= 500 else { throw RequestValidation.invalid("limit", "must be from 0 to 500") }
            guard request.beforeUnixMicros >= 0 else {
                throw RequestValidation.invalid("before_unix_micros", "must not be negative")
            }
            var response = Mk_Registry_V1_ListDeviceHistoryResponse()
            response.entries = try await store.history(
                of: subject, limit: request.limit == 0 ? 100 : Int(request.limit),
                before: request.beforeUnixMicros == 0 ? nil : UnixMicros.date(request.beforeUnixMicros))
            return response
        }
    }

    /// Serves `RecordUse`.
    public func recordUse(
        _ request: Mk_Registry_V1_RecordUseRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_RecordUseResponse {
        try await serve(context) {
            var response = Mk_Registry_V1_RecordUseResponse()
            response.recorded = try await signIns.submit((try Self.signIn(request), CallOrigin(context)))
            return response
        }
    }

    /// Serves `RecordUses`: each sign-in is checked and answered as `RecordUse` would answer it
    /// alone; the valid ones are recorded together (``RegistryStore/recordUses(_:logger:)``).
    public func recordUses(
        _ request: Mk_Registry_V1_RecordUsesRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_RecordUsesResponse {
        try await serve(context) {
            let origin = CallOrigin(context)
            let outcomes = try await BatchCall.outcomes(
                of: request.uses, field: "uses", maximum: 100, check: Self.signIn,
                process: { await store.recordUses($0.map { ($0, origin) }, logger: context.logger) }
            ) { result in
                switch result {
                case .success(let recorded): Mk_Registry_V1_RecordUseOutcome(recorded: recorded)
                case .failure(let error): Self.outcome(failure: error, context: context)
                }
            }
            return Mk_Registry_V1_RecordUsesResponse(outcomes: outcomes)
        }
    }

    /// A sign-in's outcome carrying the status its own call would have answered for `error`.
    private static func outcome(failure error: any Error, context: RPCContext)
        -> Mk_Registry_V1_RecordUseOutcome
    {
        let status = ServiceFailure.rpcError(for: error, service: "device registry", logger: context.logger)
        return Mk_Registry_V1_RecordUseOutcome(
            statusCode: status.code.rawValue, statusMessage: status.message, statusReason: status.reason)
    }

    /// Checks a reported sign-in (INVALID_ARGUMENT naming the field).
    private static func signIn(_ request: Mk_Registry_V1_RecordUseRequest) throws -> RegistryStore.SignIn {
        let subject = try RequestValidation.subject(request.subject)
        let deviceID: UUID?
        switch request.means {
        case .mobileKey:
            deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
        case .eop, .bankIdentity, .niaId, .other:
            guard request.deviceId.isEmpty else {
                throw RequestValidation.invalid("device_id", "must be empty unless means is MOBILE_KEY")
            }
            deviceID = nil
        case .unspecified, .unrecognized:
            throw RequestValidation.invalid("means", "must be MOBILE_KEY, EOP, BANK_IDENTITY, NIA_ID or OTHER")
        }
        guard request.atUnixMicros >= 0 else {
            throw RequestValidation.invalid("at_unix_micros", "must not be negative")
        }
        return RegistryStore.SignIn(
            subject: subject,
            means: request.means,
            deviceID: deviceID,
            at: request.atUnixMicros == 0 ? nil : UnixMicros.date(request.atUnixMicros),
            origin: try Validation.optionalText(request.origin, field: "origin", maximum: 200),
            eventID: try Validation.optionalText(request.eventId, field: "event_id", maximum: 128))
    }

    /// Serves `ListMeans`.
    public func listMeans(
        _ request: Mk_Registry_V1_ListMeansRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_ListMeansResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            var response = Mk_Registry_V1_ListMeansResponse()
            response.means = try await store.knownMeans(of: subject)
            return response
        }
    }

    /// Serves `IssueChallenge`.
    public func issueChallenge(
        _ request: Mk_Registry_V1_IssueChallengeRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_IssueChallengeResponse {
        try await serve(context) {
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            let issued = try await store.issueChallenge(for: deviceID, origin: CallOrigin(context))
            var response = Mk_Registry_V1_IssueChallengeResponse()
            response.challengeId = issued.id.lowercaseText
            response.nonce = issued.nonce
            response.expiresAtUnixMicros = UnixMicros.from(issued.expiresAt)
            return response
        }
    }

    /// Serves `VerifyDeviceSignature`.
    public func verifyDeviceSignature(
        _ request: Mk_Registry_V1_VerifyDeviceSignatureRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_VerifyDeviceSignatureResponse {
        try await serve(context) {
            let deviceID = try RequestValidation.uuid(request.deviceId, field: "device_id")
            guard (1...DeviceKey.maximumSignatureBytes).contains(request.signature.count) else {
                throw RequestValidation.invalid("signature", "must be 1 to \(DeviceKey.maximumSignatureBytes) bytes")
            }
            let owner: String?
            switch (request.challenge, request.signedPayload) {
            case (let challenge?, nil):
                let challengeID = try RequestValidation.uuid(challenge.challengeId, field: "challenge.challenge_id")
                owner = try await store.verifyChallenge(
                    challengeID, deviceID: deviceID, signature: request.signature, origin: CallOrigin(context))
            case (nil, let signed?):
                guard signed.payload.count <= DeviceKey.maximumPayloadBytes,
                    signed.payload.starts(with: DeviceKey.requestDomain)
                else {
                    throw RequestValidation.invalid(
                        "signed_payload.payload",
                        "must start with \"mk-request-v1\" and be at most \(DeviceKey.maximumPayloadBytes) bytes")
                }
                guard signed.signedAtUnixMicros > 0 else {
                    throw RequestValidation.invalid("signed_payload.signed_at_unix_micros", "is required")
                }
                owner = try await store.verifySignedPayload(
                    signed.payload, signedAt: UnixMicros.date(signed.signedAtUnixMicros), deviceID: deviceID,
                    signature: request.signature)
            default:
                throw RequestValidation.invalid("challenge", "exactly one of challenge and signed_payload must be set")
            }
            var response = Mk_Registry_V1_VerifyDeviceSignatureResponse()
            response.valid = owner != nil
            response.subject = owner ?? ""
            return response
        }
    }

    /// The furthest in the future a revoked session may end: the gateway's longest absolute
    /// session timeout (7 days) plus a day of slack for clock skew.
    static let maximumRevocationLifetime: TimeInterval = 8 * 86_400

    /// Serves `RevokeSession`.
    public func revokeSession(
        _ request: Mk_Registry_V1_RevokeSessionRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_RevokeSessionResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let sessionID = try RequestValidation.uuid(request.sessionId, field: "session_id")
            let latest = UnixMicros.from(store.clock.now().addingTimeInterval(Self.maximumRevocationLifetime))
            guard request.expiresAtUnixMicros > 0, request.expiresAtUnixMicros <= latest else {
                throw RequestValidation.invalid(
                    "expires_at_unix_micros", "must be after 1970 and at most 8 days from now")
            }
            var response = Mk_Registry_V1_RevokeSessionResponse()
            response.revoked = try await store.revokeSession(
                sessionID, of: subject, until: UnixMicros.date(request.expiresAtUnixMicros),
                origin: CallOrigin(context))
            return response
        }
    }

    /// Serves `IsSessionRevoked`.
    public func isSessionRevoked(
        _ request: Mk_Registry_V1_IsSessionRevokedRequest, context: RPCContext
    ) async throws -> Mk_Registry_V1_IsSessionRevokedResponse {
        try await serve(context) {
            let subject = try RequestValidation.subject(request.subject)
            let sessionID = try RequestValidation.uuid(request.sessionId, field: "session_id")
            var response = Mk_Registry_V1_IsSessionRevokedResponse()
            response.revoked = try await store.isSessionRevoked(sessionID, of: subject)
            return response
        }
    }
}
