internal import Foundation

/// A notification e-mail address: an ASCII dot-atom local part and a domain that may be
/// internationalised. Kept as the citizen wrote it (domain lower-cased, Unicode NFC) for display,
/// with the ASCII (Punycode) form for SMTP.
struct EmailAddress: Hashable, Sendable {
    /// As stored and shown to its owner.
    let display: String
    /// The form used on the wire: local part and the domain's ASCII form.
    let ascii: String

    /// The longest address (RFC 5321's path limit less the angle brackets).
    static let maximumLength = 254

    /// Parses and validates `text`; the error names `field`.
    init(parsing text: String, field: String) throws(RPCFieldError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
        guard trimmed.count <= Self.maximumLength else {
            throw RPCFieldError(field, "must be at most \(Self.maximumLength) characters")
        }
        guard let at = trimmed.lastIndex(of: "@") else {
            throw RPCFieldError(field, "must be an e-mail address such as jana.novakova@example.cz")
        }
        let local = String(trimmed[..<at])
        let domain = String(trimmed[trimmed.index(after: at)...]).lowercased()
        guard !local.isEmpty, local.utf8.count <= 64, Self.isDotAtom(local) else {
            throw RPCFieldError(field, "the part before @ must be 1 to 64 letters, digits or !#$%&'*+/=?^_`{|}~- separated by single dots")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2 else {
            throw RPCFieldError(field, "the domain must have at least two parts (example.cz)")
        }
        var asciiLabels: [String] = []
        for label in labels {
            guard !label.isEmpty, label.unicodeScalars.allSatisfy(Self.isDomainScalar),
                let ascii = Punycode.asciiLabel(label), (1...63).contains(ascii.utf8.count),
                !ascii.hasPrefix("-"), !ascii.hasSuffix("-")
            else {
                throw RPCFieldError(field, "the domain is not a valid (internationalised) domain name")
            }
            asciiLabels.append(ascii)
        }
        let asciiDomain = asciiLabels.joined(separator: ".")
        guard asciiDomain.utf8.count <= 253, let top = asciiLabels.last, !top.allSatisfy(\.isNumber) else {
            throw RPCFieldError(field, "the domain is not a valid (internationalised) domain name")
        }
        guard local.utf8.count + 1 + asciiDomain.utf8.count <= Self.maximumLength else {
            throw RPCFieldError(field, "must be at most \(Self.maximumLength) characters in its ASCII form")
        }
        display = local + "@" + domain
        ascii = local + "@" + asciiDomain
    }

    private static func isDotAtom(_ text: String) -> Bool {
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { atext.contains($0) } }
    }

    /// Letters and digits of any script, and '-'; no symbols, spaces or punctuation.
    private static func isDomainScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "-"
        }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }
}
