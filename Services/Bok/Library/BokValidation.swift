internal import Foundation
internal import MKMessages
internal import MKRPC
internal import MKServiceRuntime

/// The BOK service's own request checks (the common ones are `RequestValidation`). Each failure is
/// INVALID_ARGUMENT naming the field and runs before anything is touched. Messages never repeat a
/// code's value.
enum BokValidation {
    /// A request id in canonical lowercase form: it is bound into the signature and the HPKE info,
    /// so exactly one spelling is accepted.
    static func requestID(_ value: String) throws(RPCError) -> UUID {
        let uuid = try RequestValidation.uuid(value, field: "request_id")
        guard uuid.lowercaseText == value else {
            throw RequestValidation.invalid("request_id", "must be a UUID in canonical lowercase form")
        }
        return uuid
    }

    /// A BOK: 4 to 10 ASCII digits.
    static func code(_ value: String, field: String) throws(RPCError) -> BokCode {
        guard let code = BokCode(value) else {
            throw RequestValidation.invalid(field, "must be 4 to 10 ASCII digits (0-9) and nothing else")
        }
        return code
    }

    /// A counter code: 6 ASCII digits.
    static func counterCode(_ value: String) throws(RPCError) -> CounterCode {
        guard let code = CounterCode(value) else {
            throw RequestValidation.invalid("counter_code", "must be \(CounterCode.length) ASCII digits")
        }
        return code
    }

    /// The office; `counterRequired` for counter calls.
    static func office(_ office: Mk_Bok_V1_Office?, counterRequired: Bool) throws(RPCError) -> OfficeIdentity {
        guard let office else { throw RequestValidation.invalid("office", "is required") }
        _ = try RequestValidation.identifier(office.officeId, field: "office.office_id", maximum: 64)
        let name = try text(office.officeName, field: "office.office_name", maximum: 200)
        if counterRequired || !office.counterId.isEmpty {
            _ = try RequestValidation.identifier(office.counterId, field: "office.counter_id", maximum: 64)
        }
        return OfficeIdentity(id: office.officeId, name: name, counterID: office.counterId)
    }

    /// A required text of 1 to `maximum` characters, trimmed, without control characters.
    static func text(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RequestValidation.invalid(field, "is required") }
        guard trimmed.count <= maximum, trimmed.utf8.count <= maximum * 4 else {
            throw RequestValidation.invalid(field, "must be at most \(maximum) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RequestValidation.invalid(field, "must not contain control characters")
        }
        return trimmed
    }
}
