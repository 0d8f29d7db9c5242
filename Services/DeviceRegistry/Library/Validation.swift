internal import MKRPC
internal import MKServiceRuntime

/// The registry's own request checks (the common ones are `RequestValidation`). Each failure is
/// INVALID_ARGUMENT naming the field, and runs before the database is touched.
enum Validation {
    /// Largest push token, in bytes.
    static let maximumPushTokenBytes = 4096

    /// A required, visible text of 1 to `maximum` characters (see ``DisplayName``).
    static func visibleText(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        let trimmed = DisplayName.trimmed(value)
        guard !trimmed.isEmpty else { throw RequestValidation.invalid(field, "is required") }
        try DisplayName.check(trimmed, field: field, maximum: maximum)
        return trimmed
    }

    /// An optional free text of at most `maximum` characters without control characters.
    static func optionalText(_ value: String, field: String, maximum: Int) throws(RPCError) -> String {
        guard value.count <= maximum, value.utf8.count <= maximum * 4 else {
            throw RequestValidation.invalid(field, "must be at most \(maximum) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RequestValidation.invalid(field, "must not contain control characters")
        }
        return value
    }
}
