internal import Crypto

/// A pairing activation code: 10 characters of an alphabet without look-alikes (no 0/O, 1/I/L).
///
/// The first ``prefixLength`` characters are a lookup prefix that routes a redemption attempt to
/// its pairing session, so a wrong code counts against that session's attempt limit; the whole
/// code (about 49.5 bits) is what an outsider must guess, and only its SHA-256 is stored.
struct ActivationCode: Sendable {
    /// The 31 characters a code is made of.
    static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// Characters in a code.
    static let length = 10
    /// Characters of the lookup prefix.
    static let prefixLength = 4

    /// The normalized code: upper case, no separators.
    let text: String

    /// A fresh random code from the system's secure random source.
    static func generate() -> ActivationCode {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
        return ActivationCode(text: String(characters))
    }

    /// Normalizes a typed or scanned code (case and the separators " " and "-" ignored); `nil`
    /// when it is not 10 characters of the alphabet.
    static func parse(_ input: String) -> ActivationCode? {
        guard input.utf8.count <= 64 else { return nil }
        let cleaned = input.uppercased().filter { $0 != " " && $0 != "-" }
        guard cleaned.count == length, cleaned.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return ActivationCode(text: cleaned)
    }

    private init(text: String) {
        self.text = text
    }

    /// The lookup prefix stored in clear.
    var lookupPrefix: String { String(text.prefix(Self.prefixLength)) }

    /// SHA-256 of the whole code, the only form stored.
    var hash: [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }
}
