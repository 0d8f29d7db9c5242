/// The office (and counter) making a call, validated.
struct OfficeIdentity: Sendable {
    /// The office's id; an office sees only its own requests.
    var id: String
    /// Its display name, shown to the citizen.
    var name: String
    /// The counter's id; empty for credential calls.
    var counterID: String
}
