public import Crypto
public import Foundation

/// The BOK's encryption to the BOK service and the answer's signature payload, as
/// `proto/mk/bok/v1/bok.proto` defines them.
public enum BokEncryption {
    /// HPKE suite DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM.
    public static let suite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)

    /// `bok` sealed to `recipient` in base mode with info "mk-bok-v1" || request id and the counter
    /// code as additional data.
    public static func seal(
        bok: String, requestID: String, counterCode: String, recipient: P256.KeyAgreement.PublicKey
    ) throws -> (encapsulatedKey: Data, ciphertext: Data) {
        var sender = try HPKE.Sender(
            recipientKey: recipient, ciphersuite: suite, info: Data(("mk-bok-v1" + requestID).utf8))
        let ciphertext = try sender.seal(Data(bok.utf8), authenticating: Data(counterCode.utf8))
        return (sender.encapsulatedKey, ciphertext)
    }

    /// "mk-request-v1" || "bok-answer" || request_id || counter_code || SHA-256(encapsulated_key ||
    /// ciphertext) || signed_at_unix_micros as 8 big-endian bytes.
    public static func answerSignaturePayload(
        requestID: String, counterCode: String, encapsulatedKey: Data, ciphertext: Data, signedAtMicros: Int64
    ) -> Data {
        var payload = Data("mk-request-v1".utf8)
        payload += Data("bok-answer".utf8)
        payload += Data(requestID.utf8)
        payload += Data(counterCode.utf8)
        payload += Data(SHA256.hash(data: encapsulatedKey + ciphertext))
        withUnsafeBytes(of: UInt64(bitPattern: signedAtMicros).bigEndian) { payload += Data($0) }
        return payload
    }
}
