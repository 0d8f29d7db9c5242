/// A BOK in memory: 4 to 10 ASCII digits. Its description is redacted, so interpolating it into a
/// log message or an error cannot leak it.
struct BokCode: Sendable, CustomStringConvertible {
    /// Fewest digits.
    static let minimumLength = 4
    /// Most digits.
    static let maximumLength = 10

    /// The ASCII digits.
    let digits: [UInt8]

    /// Parses 4 to 10 ASCII digits and nothing else (no spaces, letters, signs or non-ASCII
    /// digits); `nil` otherwise.
    init?(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// Parses decrypted bytes with the same rule as ``init(_:)``.
    init?(bytes: [UInt8]) {
        guard (Self.minimumLength...Self.maximumLength).contains(bytes.count),
            bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        digits = bytes
    }

    var description: String { "BokCode(redacted)" }
}
