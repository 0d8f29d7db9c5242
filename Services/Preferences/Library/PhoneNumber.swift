internal import Foundation

/// A mobile phone number in E.164. Czech numbers may be written without the country code; the
/// usual separators (spaces, '-', '.', '/', parentheses) are removed.
struct PhoneNumber: Hashable, Sendable {
    /// `+` followed by 8 to 15 digits, e.g. `+420601123456`.
    let e164: String

    /// Normalises and validates `text`; the error names `field`.
    init(parsing text: String, field: String) throws(RPCFieldError) {
        var compact = String(text.trimmingCharacters(in: .whitespaces).filter { !" -./()\u{00A0}".contains($0) })
        if compact.hasPrefix("00") { compact = "+" + compact.dropFirst(2) }
        let digits = compact.hasPrefix("+") ? String(compact.dropFirst()) : compact
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw RPCFieldError(field, "must be a phone number such as +420 601 123 456 or 601 123 456")
        }
        let international = compact.hasPrefix("+") ? digits : (digits.count == 9 ? "420" + digits : "")
        guard !international.isEmpty else {
            throw RPCFieldError(field, "a number without a country code must be a Czech number of 9 digits")
        }
        if international.hasPrefix("420") {
            let national = international.dropFirst(3)
            guard national.count == 9, let first = national.first, first == "6" || first == "7" else {
                throw RPCFieldError(field, "a Czech mobile number has 9 digits after +420 and starts with 6 or 7")
            }
        }
        guard (8...15).contains(international.count), international.first != "0" else {
            throw RPCFieldError(field, "must have 8 to 15 digits including the country code (E.164)")
        }
        e164 = "+" + international
    }
}
