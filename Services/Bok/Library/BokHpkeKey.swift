internal import Crypto
internal import Foundation
internal import MKMessages

/// The BOK service's HPKE key pair: the app encrypts the BOK to its public key (RFC 9180, suite
/// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode) so only this service sees it.
public struct BokHpkeKey: Sendable {
    /// The cipher suite of `mk.bok.v1.EncryptedBok`.
    static let ciphersuite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
    /// The prefix of the HPKE info; the request id follows.
    public static let infoPrefix = Array("mk-bok-v1".utf8)
    /// The longest BOK ciphertext accepted (the digits plus the 16-byte tag, with room to spare).
    static let maximumCiphertextBytes = 64

    /// The key's id, sent to apps with the public key and back in `EncryptedBok.key_id`.
    public let keyID: String
    private let privateKey: P256.KeyAgreement.PrivateKey

    /// A key from its 32-byte raw private scalar. `keyID` defaults to the first 16 hex digits of
    /// SHA-256 of the public key, so replicas with the same key agree on its id.
    public init(rawPrivateKey: [UInt8], keyID: String? = nil) throws(BokKeyError) {
        guard let key = try? P256.KeyAgreement.PrivateKey(rawRepresentation: rawPrivateKey) else {
            throw BokKeyError("the HPKE private key is not a 32-byte P-256 private key")
        }
        try self.init(key: key, keyID: keyID)
    }

    /// A key from a PEM (`BEGIN PRIVATE KEY` or `BEGIN EC PRIVATE KEY`) or base64 of the 32-byte
    /// raw private scalar, as `BOK_HPKE_KEY` or the file `BOK_HPKE_KEY_FILE` holds it.
    public init(text: String, keyID: String? = nil) throws(BokKeyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") {
            guard let key = try? P256.KeyAgreement.PrivateKey(pemRepresentation: trimmed) else {
                throw BokKeyError("the HPKE private key PEM is not a P-256 private key")
            }
            try self.init(key: key, keyID: keyID)
        } else {
            guard let raw = Data(base64Encoded: trimmed) else {
                throw BokKeyError("the HPKE private key is neither PEM nor base64")
            }
            try self.init(rawPrivateKey: Array(raw), keyID: keyID)
        }
    }

    private init(key: P256.KeyAgreement.PrivateKey, keyID: String?) throws(BokKeyError) {
        let id = keyID ?? Self.derivedKeyID(of: key)
        guard (1...64).contains(id.utf8.count), id.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw BokKeyError("the HPKE key id must be 1 to 64 visible ASCII characters")
        }
        self.init(validatedKey: key, keyID: id)
    }

    private init(validatedKey key: P256.KeyAgreement.PrivateKey, keyID: String) {
        self.keyID = keyID
        self.privateKey = key
    }

    /// A fresh random key with its derived id (for development and tests).
    public static func generate() -> BokHpkeKey {
        let key = P256.KeyAgreement.PrivateKey()
        return BokHpkeKey(validatedKey: key, keyID: derivedKeyID(of: key))
    }

    /// The first 16 hex digits of SHA-256 of the public key.
    private static func derivedKeyID(of key: P256.KeyAgreement.PrivateKey) -> String {
        SHA256.hash(data: key.publicKey.x963Representation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The public key in X9.63 uncompressed form (65 bytes).
    public var publicKeyX963: [UInt8] { Array(privateKey.publicKey.x963Representation) }

    /// Opens an encrypted BOK bound to `requestID` (info) and `counterCode` (additional data);
    /// `nil` when anything about it is wrong (malformed key or ciphertext, other request, other
    /// counter code, tampering).
    func open(_ encrypted: Mk_Bok_V1_EncryptedBok, requestID: String, counterCode: String) -> [UInt8]? {
        guard encrypted.encapsulatedKey.count == 65, (17...Self.maximumCiphertextBytes).contains(encrypted.ciphertext.count)
        else { return nil }
        do {
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: Self.ciphersuite, info: Data(Self.infoPrefix + Array(requestID.utf8)),
                encapsulatedKey: Data(encrypted.encapsulatedKey))
            return Array(try recipient.open(encrypted.ciphertext, authenticating: Array(counterCode.utf8)))
        } catch {
            return nil
        }
    }
}
