/// A signed-in citizen, carried in the sealed session cookie (the gateway keeps no session store,
/// so every replica can serve every request).
public struct CitizenSession: Codable, Sendable, Equatable {
    /// The identity provider's subject identifier.
    public var subject: String
    /// The name to greet the citizen with (may be empty).
    public var name: String
    /// When the citizen signed in (seconds since the Unix epoch).
    public var authenticatedAt: Int64
    /// When the session was last used (seconds since the Unix epoch).
    public var lastSeenAt: Int64
    /// The CSRF token every form and state-changing API call must carry.
    public var csrfToken: String
    /// This session's id (a random UUID, lowercase), by which sign-out revokes it on every replica.
    public var sessionID: String
}
