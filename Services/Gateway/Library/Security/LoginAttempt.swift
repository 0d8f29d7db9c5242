/// A sign-in in progress, sealed into a short-lived cookie: the nonce the identity provider's
/// token must echo, so a token obtained for someone else cannot be planted (login CSRF).
struct LoginAttempt: Codable, Sendable {
    /// The random nonce sent to the identity provider.
    var nonce: String
    /// When the attempt started (seconds since the Unix epoch).
    var startedAt: Int64
}
