public import Foundation
public import MKRPC

/// Request checks every service shares. Each failure is INVALID_ARGUMENT with the message
/// "field: problem"; services run them before touching the database, so a rejected call changes
/// nothing. Service-specific checks live in each service and build on these.
public enum RequestValidation {
    /// The INVALID_ARGUMENT error for `field`, whose message is "`field`: `problem`".
    public static func invalid(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "\(field): \(problem)")
    }

    /// A subject: 1 to 128 characters of `[A-Za-z0-9._:-]`.
    public static func subject(_ value: String, field: String = "subject") throws(RPCError) -> String {
        try identifier(value, field: field, maximum: 128)
    }

    /// 1 to `maximum` characters of `[A-Za-z0-9._:-]` (subjects, office ids, idempotency keys).
    public static func identifier(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        guard (1...maximum).contains(value.utf8.count), value.utf8.allSatisfy(isIdentifierByte) else {
            throw invalid(field, "must be 1 to \(maximum) characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
        }
        return value
    }

    /// A UUID in its 36-character text form (either case).
    public static func uuid(_ value: String, field: String) throws(RPCError) -> UUID {
        guard value.utf8.count == 36, let uuid = UUID(uuidString: value) else {
            throw invalid(field, "must be a UUID (36 characters, e.g. 123e4567-e89b-12d3-a456-426614174000)")
        }
        return uuid
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
