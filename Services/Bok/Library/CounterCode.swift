/// The 6-digit code a counter shows and the citizen types into the app: proof that the answer comes
/// from someone standing at that counter.
struct CounterCode: Sendable, CustomStringConvertible {
    /// Digits in a counter code.
    static let length = 6

    /// The ASCII digits.
    let text: String

    /// A fresh code, uniformly random from the system's secure source.
    static func generate() -> CounterCode {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: 0..<1_000_000, using: &generator)
        let digits = String(value)
        return CounterCode(text: String(repeating: "0", count: length - digits.count) + digits)
    }

    /// Parses exactly 6 ASCII digits; `nil` otherwise.
    init?(_ text: String) {
        guard text.utf8.count == Self.length,
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        self.text = text
    }

    private init(text: String) {
        self.text = text
    }

    var description: String { "CounterCode(redacted)" }
}
