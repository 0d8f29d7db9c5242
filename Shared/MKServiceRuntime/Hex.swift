/// Lowercase hexadecimal text of bytes: digests, in the gateway's caller credential check and
/// device request signature, and content hashes in the Preferences batch statements.
/// Foundation's `String(format: "%02x")` per byte cost about a tenth of the gateway's CPU on the
/// identity provider's login hook.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two lowercase hex digits per byte of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
