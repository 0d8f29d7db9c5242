internal import Crypto

/// The bytes a device signs to answer a prompt (see `mk.bok.v1.SubmitAnswerRequest.signature`):
/// "mk-request-v1" || "bok-answer" || request_id || counter_code || SHA-256(encapsulated_key ||
/// ciphertext) || signed_at_unix_micros as 8 big-endian bytes. Public so the app and the tests
/// build exactly what the service checks.
public enum BokAnswerSignature {
    /// The fixed prefix.
    public static let prefix = Array("mk-request-v1".utf8) + Array("bok-answer".utf8)

    /// The signed payload of an answer.
    public static func payload(
        requestID: String, counterCode: String, encapsulatedKey: [UInt8], ciphertext: [UInt8], signedAtUnixMicros: Int64
    ) -> [UInt8] {
        let digest = Array(SHA256.hash(data: encapsulatedKey + ciphertext))
        let time = UInt64(bitPattern: signedAtUnixMicros)
        let timeBytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: time >> (UInt64($0) * 8)) }
        return prefix + Array(requestID.utf8) + Array(counterCode.utf8) + digest + timeBytes
    }
}
