internal import Foundation
internal import Hummingbird

/// The session and sign-in cookies: sealed, `HttpOnly`, `SameSite=Lax`, `Secure` (and the
/// `__Host-` prefix) unless `COOKIE_SECURE=false` for local development.
struct SessionCookies: Sendable {
    let sealer: CookieSealer
    let secure: Bool
    let idleTimeout: Duration
    let absoluteTimeout: Duration

    /// The session cookie's name.
    var sessionName: String { secure ? "__Host-mk_session" : "mk_session" }
    /// The sign-in attempt cookie's name.
    var loginName: String { secure ? "__Host-mk_login" : "mk_login" }

    /// The cookie carrying `session`.
    func sessionCookie(_ session: CitizenSession) -> Cookie {
        Cookie(
            name: sessionName, value: sealer.seal(session, purpose: "session"),
            maxAge: Int(absoluteTimeout.components.seconds), path: "/", secure: secure, httpOnly: true,
            sameSite: .lax)
    }

    /// A cookie that deletes the session cookie.
    func clearedSessionCookie() -> Cookie {
        Cookie(name: sessionName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The cookie carrying a sign-in attempt (10 minutes). `SameSite=None` when secure, so the
    /// identity provider's cross-site form post brings it back.
    func loginCookie(_ attempt: LoginAttempt) -> Cookie {
        Cookie(
            name: loginName, value: sealer.seal(attempt, purpose: "login"), maxAge: 600, path: "/",
            secure: secure, httpOnly: true, sameSite: secure ? .none : .lax)
    }

    /// A cookie that deletes the sign-in attempt cookie.
    func clearedLoginCookie() -> Cookie {
        Cookie(
            name: loginName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true,
            sameSite: secure ? .none : .lax)
    }

    /// The sign-in attempt `request` carries, if valid and under 10 minutes old.
    func loginAttempt(_ request: Request, now: Date = Date()) -> LoginAttempt? {
        guard let text = request.cookies[loginName]?.value,
            let attempt = sealer.open(LoginAttempt.self, from: text, purpose: "login"),
            Int64(now.timeIntervalSince1970) - attempt.startedAt <= 600
        else { return nil }
        return attempt
    }

    /// The session `request` carries: `.valid`, `.expired` (present but too old or unreadable) or `.none`.
    func session(_ request: Request, now: Date = Date()) -> (session: CitizenSession?, expired: Bool) {
        guard let text = request.cookies[sessionName]?.value, !text.isEmpty else { return (nil, false) }
        guard let session = sealer.open(CitizenSession.self, from: text, purpose: "session") else {
            return (nil, true)
        }
        let seconds = Int64(now.timeIntervalSince1970)
        guard seconds - session.authenticatedAt <= absoluteTimeout.components.seconds,
            seconds - session.lastSeenAt <= idleTimeout.components.seconds,
            session.authenticatedAt <= seconds + 60
        else { return (nil, true) }
        return (session, false)
    }
}
