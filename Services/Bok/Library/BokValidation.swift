internal import Foundation
internal import MKMessages
internal import MKRPC

/// Request checks. Each failure is INVALID_ARGUMENT naming the field and runs before anything is
/// touched, so a rejected call changes nothing. Messages never repeat a code's value.
enum BokValidation {
    /// A field error.
    static func invalid(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "\(field): \(problem)")
    }

    /// 1 to 128 characters of `[A-Za-z0-9._:-]`.
    static func subject(_ value: String, field: String = "subject") throws(RPCError) -> String {
        guard isIdentifier(value, maximum: 128) else {
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

    /// A request id in canonical lowercase form: it is bound into the signature and the HPKE info,
    /// so exactly one spelling is accepted.
    static func requestID(_ value: String) throws(RPCError) -> UUID {
        let uuid = try self.uuid(value, field: "request_id")
        guard uuid.uuidString.lowercased() == value else {
            throw invalid("request_id", "must be a UUID in canonical lowercase form")
        }
        return uuid
    }

    /// A BOK: 4 to 10 ASCII digits.
    static func code(_ value: String, field: String) throws(RPCError) -> BokCode {
        guard let code = BokCode(value) else {
            throw invalid(field, "must be 4 to 10 ASCII digits (0-9) and nothing else")
        }
        return code
    }

    /// A counter code: 6 ASCII digits.
    static func counterCode(_ value: String) throws(RPCError) -> CounterCode {
        guard let code = CounterCode(value) else {
            throw invalid("counter_code", "must be \(CounterCode.length) ASCII digits")
        }
        return code
    }

    /// The office; `counterRequired` for counter calls.
    static func office(_ office: Mk_Bok_V1_Office?, counterRequired: Bool) throws(RPCError) -> OfficeIdentity {
        guard let office else { throw invalid("office", "is required") }
        guard isIdentifier(office.officeId, maximum: 64) else {
            throw invalid("office.office_id", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
        }
        let name = try text(office.officeName, field: "office.office_name", maximum: 200)
        if counterRequired || !office.counterId.isEmpty {
            guard isIdentifier(office.counterId, maximum: 64) else {
                throw invalid(
                    "office.counter_id", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
            }
        }
        return OfficeIdentity(id: office.officeId, name: name, counterID: office.counterId)
    }

    /// A required text of 1 to `maximum` characters, trimmed, without control characters.
    static func text(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw invalid(field, "is required") }
        guard trimmed.count <= maximum, trimmed.utf8.count <= maximum * 4 else {
            throw invalid(field, "must be at most \(maximum) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid(field, "must not contain control characters")
        }
        return trimmed
    }

    private static func isIdentifier(_ value: String, maximum: Int) -> Bool {
        (1...maximum).contains(value.utf8.count)
            && value.utf8.allSatisfy { byte in
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
}
