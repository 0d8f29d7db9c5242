internal import Foundation
internal import MKRPC

/// Request checks shared by every call. Each failure is INVALID_ARGUMENT naming the field, and
/// runs before the database is touched, so a rejected call changes nothing.
enum Validation {
    /// A field error.
    static func invalid(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "\(field): \(problem)")
    }

    /// 1 to 128 characters of `[A-Za-z0-9._:-]`.
    static func subject(_ value: String, field: String = "subject") throws(RPCError) -> String {
        guard (1...128).contains(value.utf8.count), value.utf8.allSatisfy(isIdentifierByte) else {
            throw invalid(field, "must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
        }
        return value
    }

    /// A UUID in its 36-character text form (either case).
    static func uuid(_ value: String, field: String) throws(RPCError) -> UUID {
        guard value.utf8.count == 36, let uuid = UUID(uuidString: value) else {
            throw invalid(field, "must be a UUID (36 characters, e.g. 123e4567-e89b-12d3-a456-426614174000)")
        }
        return uuid
    }

    /// 1 to `maximum` characters of `[A-Za-z0-9._:-]` (authority ids, idempotency keys).
    static func token(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        guard (1...maximum).contains(value.utf8.count), value.utf8.allSatisfy(isIdentifierByte) else {
            throw invalid(field, "must be 1 to \(maximum) characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
        }
        return value
    }

    /// A text of `minimum` to `maximum` characters with no control characters except, when
    /// `multiline`, line breaks and tabs. Leading and trailing white space is removed first.
    static func text(
        _ value: String, field: String, minimum: Int, maximum: Int, multiline: Bool = false
    ) throws(RPCError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= minimum else {
            throw invalid(field, minimum == 1 ? "is required" : "must be at least \(minimum) characters")
        }
        guard trimmed.count <= maximum, trimmed.utf8.count <= maximum * 4 else {
            throw invalid(field, "must be at most \(maximum) characters")
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        // Format characters other than the emoji joiner can hide or reorder text (bidi overrides).
        let hasControl = trimmed.unicodeScalars.contains { scalar in
            let category = scalar.properties.generalCategory
            let hidden = category == .control || (category == .format && scalar != "\u{200D}")
            return hidden && !allowed.contains(scalar)
        }
        guard !hasControl else {
            throw invalid(field, multiline ? "must not contain control characters other than line breaks" : "must not contain control characters")
        }
        return trimmed.precomposedStringWithCanonicalMapping
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
            UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
