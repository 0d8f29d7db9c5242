internal import Foundation

/// The checks in front of the citizen's pages and API: a session, its CSRF token on every change,
/// and a recent sign-in for pairing and unpairing.
enum CitizenGuard {
    /// The session; ``GatewayError/unavailable`` when whether it was signed out cannot be told
    /// (fail closed), else ``GatewayError/unauthenticated`` when there is none.
    static func session(_ context: GatewayRequestContext) throws(GatewayError) -> CitizenSession {
        guard let session = context.session else {
            throw context.unverifiedSession == nil ? GatewayError.unauthenticated : GatewayError.unavailable
        }
        return session
    }

    /// Throws ``GatewayError/csrf`` unless `token` is the session's CSRF token.
    static func csrf(_ token: String?, _ session: CitizenSession) throws(GatewayError) {
        guard let token, Base64URL.constantTimeEqual(token, session.csrfToken) else { throw GatewayError.csrf }
    }

    /// Throws ``GatewayError/reauthenticate`` unless the sign-in is at most `window` old.
    static func recent(_ session: CitizenSession, within window: Duration) throws(GatewayError) {
        guard isRecent(session, within: window) else { throw GatewayError.reauthenticate }
    }

    /// Whether the sign-in is at most `window` old.
    static func isRecent(_ session: CitizenSession, within window: Duration) -> Bool {
        Int64(Date().timeIntervalSince1970) - session.authenticatedAt <= window.components.seconds
    }
}
