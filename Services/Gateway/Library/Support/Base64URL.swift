internal import ExtrasBase64

/// Base64url without padding (RFC 4648 §5), through swift-extras-base64 (Foundation's base64 plus
/// `replacingOccurrences` was a tenth of the gateway's CPU per request).
enum Base64URL {
    /// Encodes `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        Base64.encodeToString(bytes: bytes, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// Decodes base64url with or without padding (at most two trailing `=`); `nil` when malformed.
    static func decode(_ text: String) -> [UInt8]? {
        let padding = text.utf8.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return nil }
        let unpadded = text.utf8.dropLast(padding)
        guard !unpadded.contains(UInt8(ascii: "=")) else { return nil }
        return try? Base64.decode(bytes: unpadded, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// Random bytes as base64url text (tokens, nonces).
    static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Constant-time equality of two strings' bytes.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEqual(Array(lhs.utf8), Array(rhs.utf8))
    }

    /// Constant-time equality of two byte strings: every byte is looked at, whatever the first
    /// difference (only the lengths are compared first).
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
