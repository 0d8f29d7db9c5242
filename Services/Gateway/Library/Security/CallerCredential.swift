/// An office, public authority or identity provider known to the gateway, from
/// `CALLER_CREDENTIALS_FILE`.
public struct CallerCredential: Codable, Sendable {
    /// The kinds of non-citizen callers; each reaches only its own API.
    public enum Kind: String, Codable, Sendable {
        /// An office (its counters use the counter API and page).
        case office
        /// A public authority (the authority API).
        case authority
        /// The National Point identity provider (the login hook).
        case identityProvider = "identity-provider"
    }

    /// Which API it may use.
    public var kind: Kind
    /// Its id (office id, authority id), 1 to 64 characters.
    public var id: String
    /// Its display name shown to citizens.
    public var name: String
    /// SHA-256 of its secret, lowercase hex. The secret itself is never stored.
    public var secretSha256: String
}
