/// Header values compared on their bytes: the blanks HTTP allows around a value (space, tab) and
/// ASCII case. The checks every request passes (credentials, media type) use these instead of
/// Foundation's `trimmingCharacters` and `lowercased`, which cost several percent of the gateway's
/// CPU on the identity provider's login hook.
enum HeaderBytes {
    /// `bytes` without the spaces and tabs at either end.
    static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        var bytes = bytes
        while let first = bytes.first, isBlank(first) { bytes.removeFirst() }
        while let last = bytes.last, isBlank(last) { bytes.removeLast() }
        return bytes
    }

    /// Whether `bytes` spell `lowercase` (lowercase ASCII) in any ASCII case.
    static func equalsIgnoringCase(_ bytes: some Sequence<UInt8>, _ lowercase: String) -> Bool {
        bytes.elementsEqual(lowercase.utf8) { byte, expected in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
