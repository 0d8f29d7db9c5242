internal import Crypto
internal import Foundation

/// Seals small values into cookie text with AES-256-GCM under a key derived from the session
/// secret; the purpose is authenticated too, so a value sealed for one cookie never opens as another.
struct CookieSealer: Sendable {
    private let key: SymmetricKey

    /// A sealer keyed from `secret` (never logged).
    init(secret: String) {
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("mk-gateway-cookie-v1".utf8), outputByteCount: 32)
    }

    /// `value` sealed for `purpose`, as base64url text.
    func seal(_ value: some Encodable, purpose: String) -> String {
        guard let plain = try? JSONEncoder().encode(value),
            let box = try? AES.GCM.seal(plain, using: key, authenticating: Data(purpose.utf8)),
            let combined = box.combined
        else { return "" }
        return Base64URL.encode(Array(combined))
    }

    /// The value sealed for `purpose` in `text`, or `nil` when it was forged, altered or is not one.
    func open<Value: Decodable>(_ type: Value.Type, from text: String, purpose: String) -> Value? {
        guard text.utf8.count <= 4096, let bytes = Base64URL.decode(text),
            let box = try? AES.GCM.SealedBox(combined: bytes),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(purpose.utf8))
        else { return nil }
        return try? JSONDecoder().decode(type, from: plain)
    }

    /// A keyed tag of `text` (for the counter page's form tokens).
    func tag(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)
        return Base64URL.encode(Array(mac))
    }
}
