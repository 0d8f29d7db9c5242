public import Crypto
internal import Foundation

/// Behaves like the Mobilní klíč app over the gateway's mobile-app API: holds a P-256 key,
/// redeems an activation code, signs every request, registers its push token, reads and
/// acknowledges its inbox, answers BOK prompts (counter code + BOK, the BOK HPKE-encrypted to the
/// BOK service) and says "Nebyl jsem to já".
public struct MobileKeySimulator: Sendable {
    /// The key's device id (after pairing).
    public let deviceID: String
    /// The key's private signing key; it never leaves the simulator.
    public let privateKey: P256.Signing.PrivateKey
    private let transport: any SimulatorTransport

    /// A simulator for an already paired key.
    public init(deviceID: String, privateKey: P256.Signing.PrivateKey, transport: any SimulatorTransport) {
        self.deviceID = deviceID
        self.privateKey = privateKey
        self.transport = transport
    }

    /// Generates a key and redeems `activationCode` with it.
    public static func pair(
        activationCode: String, deviceName: String = "Simulátor", model: String = "Mobilní klíč simulátor",
        transport: any SimulatorTransport
    ) async throws -> MobileKeySimulator {
        let key = P256.Signing.PrivateKey()
        let body: [String: String] = [
            "activationCode": activationCode, "deviceName": deviceName, "model": model, "platform": "ANDROID",
            "appVersion": "1.0.0-sim", "publicKey": key.publicKey.x963Representation.base64EncodedString(),
        ]
        let response = try await transport.send(
            method: "POST", target: "/app/v1/pairings", headers: [("Content-Type", "application/json")],
            body: Array(try JSONSerialization.data(withJSONObject: body)))
        let json = try Self.object(response, expecting: 201)
        guard let deviceID = json["deviceId"] as? String else {
            throw SimulatorError(status: response.status, body: "no deviceId")
        }
        return MobileKeySimulator(deviceID: deviceID, privateKey: key, transport: transport)
    }

    /// The unread inbox, waiting up to `wait` seconds for something to arrive.
    public func inbox(wait: Int = 0) async throws -> [[String: Any]] {
        let json = try Self.object(try await signed("GET", "/app/v1/inbox?wait=\(wait)"), expecting: 200)
        return json["messages"] as? [[String: Any]] ?? []
    }

    /// Acknowledges inbox messages; returns how many were new.
    public func acknowledge(_ messageIDs: [String]) async throws -> Int {
        let json = try Self.object(
            try await signed("POST", "/app/v1/inbox/ack", json: ["messageIds": messageIDs]), expecting: 200)
        return json["acknowledged"] as? Int ?? 0
    }

    /// "Nebyl jsem to já" on a notice about `deviceID`; true when a key was unpaired.
    public func notMe(concerning deviceID: String, messageID: String? = nil) async throws -> Bool {
        var body: [String: Any] = ["concernsDeviceId": deviceID]
        if let messageID { body["messageId"] = messageID }
        let json = try Self.object(try await signed("POST", "/app/v1/not-me", json: body), expecting: 200)
        return json["unpaired"] as? Bool ?? false
    }

    /// Registers `token` as this key's push token (empty removes it); true when a token is set.
    public func registerPushToken(_ token: String) async throws -> Bool {
        let json = try Self.object(
            try await signed("POST", "/app/v1/push-token", json: ["pushToken": token]), expecting: 200)
        return json["registered"] as? Bool ?? false
    }

    /// The pending BOK prompts.
    public func prompts() async throws -> [[String: Any]] {
        let json = try Self.object(try await signed("GET", "/app/v1/bok/prompts"), expecting: 200)
        return json["prompts"] as? [[String: Any]] ?? []
    }

    /// Answers prompt `requestID`: types `counterCode` and `bok`. Returns the outcome state and
    /// the attempts left.
    public func answer(requestID: String, counterCode: String, bok: String) async throws -> (String, Int) {
        let keyJSON = try Self.object(try await signed("GET", "/app/v1/bok/key"), expecting: 200)
        guard let keyID = keyJSON["keyId"] as? String, let keyText = keyJSON["publicKey"] as? String,
            let keyBytes = Data(base64Encoded: keyText)
        else { throw SimulatorError(status: 200, body: "malformed BOK key") }
        let encrypted = try BokEncryption.seal(
            bok: bok, requestID: requestID, counterCode: counterCode,
            recipient: try P256.KeyAgreement.PublicKey(x963Representation: keyBytes))
        let signedAt = Self.nowMicros()
        let signature = try privateKey.signature(
            for: BokEncryption.answerSignaturePayload(
                requestID: requestID, counterCode: counterCode, encapsulatedKey: encrypted.encapsulatedKey,
                ciphertext: encrypted.ciphertext, signedAtMicros: signedAt))
        let body: [String: Any] = [
            "counterCode": counterCode,
            "encryptedBok": [
                "keyId": keyID, "encapsulatedKey": encrypted.encapsulatedKey.base64EncodedString(),
                "ciphertext": encrypted.ciphertext.base64EncodedString(),
            ],
            "signedAtUnixMicros": signedAt,
            "signature": signature.derRepresentation.base64EncodedString(),
        ]
        let json = try Self.object(
            try await signed("POST", "/app/v1/bok/prompts/\(requestID)/answer", json: body), expecting: 200)
        return (json["state"] as? String ?? "", json["attemptsLeft"] as? Int ?? 0)
    }

    /// Sends a request signed as the mobile-app API requires.
    public func signed(_ method: String, _ target: String, json: [String: Any]? = nil) async throws
        -> SimulatorResponse
    {
        let body = try json.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let signedAt = Self.nowMicros()
        let payload = RequestSigning.payload(method: method, target: target, signedAtMicros: signedAt, body: body)
        let signature = try privateKey.signature(for: payload).derRepresentation.base64EncodedString()
        var headers = [("X-MK-Device", deviceID), ("X-MK-Signed-At", String(signedAt)), ("X-MK-Signature", signature)]
        if json != nil {
            headers.append(("Content-Type", "application/json"))
        }
        return try await transport.send(method: method, target: target, headers: headers, body: body)
    }

    private static func object(_ response: SimulatorResponse, expecting status: Int) throws -> [String: Any] {
        guard response.status == status else {
            throw SimulatorError(status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
        guard let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw SimulatorError(status: response.status, body: "not a JSON object")
        }
        return json
    }

    private static func nowMicros() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000)
    }
}
