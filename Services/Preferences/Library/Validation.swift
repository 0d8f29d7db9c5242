internal import Foundation
internal import MKRPC
internal import MKServiceRuntime

/// The service's own request checks (the common ones are `RequestValidation`). Each failure is
/// INVALID_ARGUMENT naming the field, and runs before the database is touched.
enum Validation {
    /// A text of `minimum` to `maximum` characters with no control characters except, when
    /// `multiline`, line breaks and tabs. Leading and trailing white space is removed first.
    static func text(
        _ value: String, field: String, minimum: Int, maximum: Int, multiline: Bool = false
    ) throws(RPCError) -> String {
        let trimmed = hasNoOuterWhiteSpace(value) ? value : value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= minimum else {
            throw RequestValidation.invalid(
                field, minimum == 1 ? "is required" : "must be at least \(minimum) characters")
        }
        guard trimmed.count <= maximum, trimmed.utf8.count <= maximum * 4 else {
            throw RequestValidation.invalid(field, "must be at most \(maximum) characters")
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        // Format characters other than the emoji joiner can hide or reorder text (bidi overrides).
        let hasControl = trimmed.unicodeScalars.contains { scalar in
            let hidden: Bool
            if scalar.isASCII {
                // ASCII has no format characters, and its controls need no look-up in Unicode's tables.
                hidden = scalar.value < 0x20 || scalar.value == 0x7F
            } else {
                let category = scalar.properties.generalCategory
                hidden = category == .control || (category == .format && scalar != "\u{200D}")
            }
            return hidden && !allowed.contains(scalar)
        }
        guard !hasControl else {
            throw RequestValidation.invalid(
                field,
                multiline
                    ? "must not contain control characters other than line breaks"
                    : "must not contain control characters")
        }
        return isPrecomposed(trimmed) ? trimmed : trimmed.precomposedStringWithCanonicalMapping
    }

    /// Whether `value` is empty or starts and ends with a letter or a visible ASCII character,
    /// which trimming keeps: Foundation's trimming and normalising bridge the string to `NSString`
    /// and back, a few percent of Preferences' CPU in a fan-out of notifications.
    private static func hasNoOuterWhiteSpace(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return true }
        func kept(_ scalar: Unicode.Scalar) -> Bool {
            (0x21...0x7E).contains(scalar.value) || scalar.properties.isAlphabetic
        }
        return kept(first) && kept(last)
    }

    /// Whether `text` holds only scalars below U+0300 (Latin with the Czech letters): each is in
    /// Normalization Form C and none combines with another, so the text is in that form already.
    private static func isPrecomposed(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value < 0x300 }
    }

    /// A push token: empty (removes it) or 1 to 4096 characters of `A-Z a-z 0-9 . _ : ~ -` — the
    /// alphabets of APNs and FCM tokens, and safe as the last segment of the provider's URL path.
    static func pushToken(_ value: String) throws(RPCError) -> String {
        guard value.utf8.count <= 4096 else {
            throw RequestValidation.invalid("push_token", "must be at most 4096 characters")
        }
        let allowed = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || (0x30...0x39).contains(scalar.value)
                    || "._:~-".unicodeScalars.contains(scalar))
        }
        guard allowed else {
            throw RequestValidation.invalid("push_token", "may hold only letters A-Z and a-z, digits and . _ : ~ -")
        }
        return value
    }
}
