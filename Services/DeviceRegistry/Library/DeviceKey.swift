internal import Crypto
internal import Foundation
internal import MKServiceRuntime

/// A device's P-256 public key and the messages it signs.
struct DeviceKey: Sendable {
    /// The domain separator of a signed challenge.
    static let challengeDomain = Array("mk-challenge-v1".utf8)
    /// The prefix every signed request payload starts with.
    static let requestDomain = Array("mk-request-v1".utf8)
    /// The longest signature accepted (a DER P-256 signature is at most 72 bytes).
    static let maximumSignatureBytes = 128
    /// The longest signed request payload accepted.
    static let maximumPayloadBytes = 16 * 1024

    private let key: P256.Signing.PublicKey

    /// Parses an X9.63 uncompressed key (65 bytes starting 0x04); `nil` when it is not a point on
    /// the curve.
    init?(x963 bytes: [UInt8]) {
        guard bytes.count == 65, bytes.first == 0x04,
            let key = try? P256.Signing.PublicKey(x963Representation: bytes)
        else { return nil }
        self.key = key
    }

    /// The key's X9.63 bytes, as stored.
    var x963: [UInt8] { Array(key.x963Representation) }

    /// The bytes a device signs to answer a challenge.
    static func challengeMessage(challengeID: UUID, nonce: [UInt8]) -> [UInt8] {
        challengeDomain + Array(challengeID.lowercaseText.utf8) + nonce
    }

    /// True when `signature` (DER, or raw 64-byte r‖s) is a valid ECDSA P-256 SHA-256 signature of
    /// `message`. Malformed signatures are simply invalid.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        let parsed: P256.Signing.ECDSASignature?
        if signature.count == 64 {
            parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        } else {
            parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature)
        }
        guard let parsed else { return false }
        return key.isValidSignature(parsed, for: message)
    }
}
