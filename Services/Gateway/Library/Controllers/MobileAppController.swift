internal import Foundation
internal import Hummingbird
internal import MKContracts
internal import MKMessages
internal import MKRPC

/// The mobile-app API (`/app/v1/…`): redeeming an activation code, and for a paired key (every
/// request signed by it) the inbox, its push token, "Nebyl jsem to já", and the BOK-pad prompts and
/// answers (the BOK arrives HPKE-encrypted to the BOK service and is passed on unopened).
struct MobileAppController {
    let dependencies: GatewayDependencies

    private var backends: GatewayBackends { dependencies.backends }
    private var bodyLimit: Int { dependencies.configuration.maximumBodyBytes }

    func register(_ routes: RouteRegistrar) {
        routes.post("/app/v1/pairings") { request, context in try await redeem(request, context) }
        routes.get("/app/v1/inbox") { request, context in try await inbox(request, context) }
        routes.post("/app/v1/inbox/ack") { request, context in try await acknowledge(request, context) }
        routes.post("/app/v1/not-me") { request, context in try await notMe(request, context) }
        routes.post("/app/v1/push-token") { request, context in try await pushToken(request, context) }
        routes.get("/app/v1/bok/key") { request, context in
            _ = try await authenticated(request, context)
            let key = try await backends.bok.getHpkePublicKey(Mk_Bok_V1_GetHpkePublicKeyRequest())
            return Responses.json(
                APIModels.HpkeKey(keyId: key.keyId, publicKey: Data(key.publicKey).base64EncodedString()))
        }
        routes.get("/app/v1/bok/status") { request, context in
            let device = try await authenticated(request, context)
            let status = try await backends.bok.getBokStatus(Mk_Bok_V1_GetBokStatusRequest(subject: device.subject))
            return Responses.json(WireNames.bok(status))
        }
        routes.get("/app/v1/bok/prompts") { request, context in try await prompts(request, context) }
        routes.post("/app/v1/bok/prompts/{id}/answer") { request, context in try await answer(request, context) }
    }

    /// The signing device of a request without a body.
    private func authenticated(_ request: Request, _ context: GatewayRequestContext) async throws
        -> DeviceAuthenticator.Device
    {
        try await DeviceAuthenticator(dependencies: dependencies).authenticate(request, body: [], context: context)
    }

    /// The signing device and the JSON body of a request.
    private func authenticated<Body: Decodable>(
        _ request: Request, _ context: GatewayRequestContext, body: Body.Type
    ) async throws -> (DeviceAuthenticator.Device, Body) {
        guard RequestBody.hasMediaType(request, "application/json") else { throw GatewayError.unsupportedMediaType }
        let bytes = try await RequestBody.bytes(request, limit: bodyLimit)
        let device = try await DeviceAuthenticator(dependencies: dependencies).authenticate(
            request, body: bytes, context: context)
        do {
            return (device, try JSONDecoder().decode(Body.self, from: Data(bytes)))
        } catch {
            throw GatewayError.badRequest("Tělo požadavku není platný JSON očekávaného tvaru.", reason: "MALFORMED_JSON")
        }
    }

    private func redeem(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try RateLimits.check(dependencies.limits.pairingRedeem, context.clientAddress)
        let body = try await RequestBody.json(APIModels.Redeem.self, request, limit: bodyLimit)
        guard let publicKey = Data(base64Encoded: body.publicKey) else {
            throw GatewayError.badRequest("publicKey musí být v kódování base64.")
        }
        var call = Mk_Registry_V1_CompletePairingRequest()
        call.activationCode = body.activationCode
        call.deviceName = body.deviceName
        call.model = body.model
        call.platform = WireNames.platform(body.platform)
        call.appVersion = body.appVersion
        call.publicKey = Array(publicKey)
        call.pushToken = body.pushToken ?? ""
        let response = try await backends.registry.completePairing(call)
        guard let device = response.device else { throw GatewayError.unavailable }
        return Responses.json(
            APIModels.RedeemedKey(deviceId: device.deviceId, displayName: device.displayName), status: .created)
    }

    private func inbox(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let device = try await authenticated(request, context)
        let requested = request.uri.queryParameters.get("wait").flatMap(Int.init) ?? 0
        let longest = Int(dependencies.configuration.inboxLongPoll.components.seconds)
        let waitUntil = ContinuousClock.now.advanced(by: .seconds(min(max(requested, 0), longest)))
        while true {
            let messages = try await RPCTaskContext.$deadline.withValue(
                ContinuousClock.now.advanced(by: dependencies.configuration.requestTimeout)
            ) {
                try await backends.preferences.listInbox(
                    Mk_Preferences_V1_ListInboxRequest(subject: device.subject, deviceId: device.deviceID, limit: 50)
                ).messages
            }
            if !messages.isEmpty || ContinuousClock.now >= waitUntil {
                return Responses.json(APIModels.Inbox(messages: messages.map(Self.message)))
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private static func message(_ message: Mk_Preferences_V1_InboxMessage) -> APIModels.InboxMessage {
        APIModels.InboxMessage(
            messageId: message.messageId, kind: WireNames.inboxKind(message.kind), title: message.title,
            body: message.body, createdAt: CzechTime.iso8601(micros: message.createdAtUnixMicros),
            concernsDeviceId: message.concernsDeviceId.isEmpty ? nil : message.concernsDeviceId,
            sender: message.sender.isEmpty ? nil : message.sender)
    }

    private func acknowledge(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (device, body) = try await authenticated(request, context, body: APIModels.Ack.self)
        guard (1...100).contains(body.messageIds.count), body.messageIds.allSatisfy(PathID.isUUID) else {
            throw GatewayError.badRequest("messageIds musí obsahovat 1 až 100 identifikátorů zpráv.")
        }
        let response = try await backends.preferences.ackInbox(
            Mk_Preferences_V1_AckInboxRequest(
                subject: device.subject, deviceId: device.deviceID, messageIds: body.messageIds))
        return Responses.json(APIModels.Acknowledged(acknowledged: Int(response.acknowledged)))
    }

    /// Sets (or, with an empty token, removes) the signing key's own push token; the key and its
    /// owner come from the signature only. The token is never logged.
    private func pushToken(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (device, body) = try await authenticated(request, context, body: APIModels.PushToken.self)
        guard body.pushToken.utf8.count <= 4096, body.pushToken.utf8.allSatisfy(Self.isPushTokenByte) else {
            throw GatewayError.badRequest(
                "pushToken smí mít nejvýše 4096 znaků z A-Z, a-z, 0-9 a . _ : ~ -.", reason: "INVALID_PUSH_TOKEN")
        }
        _ = try await backends.preferences.registerPushToken(
            Mk_Preferences_V1_RegisterPushTokenRequest(
                subject: device.subject, deviceId: device.deviceID, pushToken: body.pushToken))
        return Responses.json(APIModels.PushTokenRegistered(registered: !body.pushToken.isEmpty))
    }

    /// Whether `byte` may appear in a push token (the Preferences service's alphabet).
    private static func isPushTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
            UInt8(ascii: "~"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// "Nebyl jsem to já": the citizen did not cause a sign-in or pairing; the key concerned is
    /// unpaired at once (even when it is the last means: a key someone else controls must go).
    private func notMe(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let (device, body) = try await authenticated(request, context, body: APIModels.NotMe.self)
        guard PathID.isUUID(body.concernsDeviceId) else { throw GatewayError.notFound }
        var call = Mk_Registry_V1_UnpairDeviceRequest(subject: device.subject, deviceId: body.concernsDeviceId)
        call.confirmLastMeans = true
        call.reason = .notMe
        let response = try await backends.registry.unpairDevice(call)
        if let messageID = body.messageId, PathID.isUUID(messageID), body.concernsDeviceId != device.deviceID {
            _ = try? await backends.preferences.ackInbox(
                Mk_Preferences_V1_AckInboxRequest(
                    subject: device.subject, deviceId: device.deviceID, messageIds: [messageID]))
        }
        return Responses.json(APIModels.NotMeDone(unpaired: response.unpaired))
    }

    private func prompts(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let device = try await authenticated(request, context)
        let response = try await backends.bok.listPrompts(
            Mk_Bok_V1_ListPromptsRequest(subject: device.subject, deviceId: device.deviceID))
        return Responses.json(
            APIModels.Prompts(
                prompts: response.prompts.map {
                    APIModels.Prompt(
                        requestId: $0.requestId, officeName: $0.officeName, purpose: $0.purpose,
                        expiresAt: CzechTime.iso8601(micros: $0.expiresAtUnixMicros), attemptsLeft: Int($0.attemptsLeft))
                }))
    }

    private func answer(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let requestID = try PathID.uuid(context)
        let (device, body) = try await authenticated(request, context, body: APIModels.Answer.self)
        try RateLimits.check(dependencies.limits.bok, device.deviceID)
        guard let encapsulated = Data(base64Encoded: body.encryptedBok.encapsulatedKey),
            let ciphertext = Data(base64Encoded: body.encryptedBok.ciphertext),
            let signature = Data(base64Encoded: body.signature)
        else { throw GatewayError.badRequest("encryptedBok a signature musí být v kódování base64.") }
        var call = Mk_Bok_V1_SubmitAnswerRequest()
        call.requestId = requestID
        call.subject = device.subject
        call.deviceId = device.deviceID
        call.counterCode = body.counterCode
        call.encryptedBok = Mk_Bok_V1_EncryptedBok(
            keyId: body.encryptedBok.keyId, encapsulatedKey: Array(encapsulated), ciphertext: Array(ciphertext))
        call.signedAtUnixMicros = body.signedAtUnixMicros
        call.signature = Array(signature)
        let outcome = try await backends.bok.submitAnswer(call)
        return Responses.json(
            APIModels.AnswerOutcome(
                state: WireNames.verificationState(outcome.state), attemptsLeft: Int(outcome.attemptsLeft)))
    }
}
