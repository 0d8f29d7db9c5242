internal import Foundation
internal import MKRPC

/// Request checks shared by every call. Each failure is INVALID_ARGUMENT naming the field, and
/// runs before the database is touched, so a rejected call changes nothing.
enum Validation {
    /// Largest push token, in bytes.
    static let maximumPushTokenBytes = 4096

    /// A field error.
    static func invalid(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "\(field): \(problem)")
    }

    /// 1 to 128 characters of `[A-Za-z0-9._:-]`.
    static func subject(_ value: String, field: String = "subject") throws(RPCError) -> String {
        let allowed = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        guard (1...128).contains(value.utf8.count), allowed else {
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

    /// A required, visible text of 1 to `maximum` characters (see ``DisplayName``).
    static func visibleText(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        let trimmed = DisplayName.trimmed(value)
        guard !trimmed.isEmpty else { throw invalid(field, "is required") }
        try DisplayName.check(trimmed, field: field, maximum: maximum)
        return trimmed
    }

    /// An optional free text of at most `maximum` characters without control characters.
    static func optionalText(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        guard value.count <= maximum, value.utf8.count <= maximum * 4 else {
            throw invalid(field, "must be at most \(maximum) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid(field, "must not contain control characters")
        }
        return value
    }
}
