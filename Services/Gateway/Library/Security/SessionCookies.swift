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
        guard let text = Self.cookie(loginName, in: request),
            let attempt = sealer.open(LoginAttempt.self, from: text, purpose: "login"),
            Int64(now.timeIntervalSince1970) - attempt.startedAt <= 600
        else { return nil }
        return attempt
    }

    /// The session `request` carries: `.valid`, `.expired` (present but too old or unreadable) or `.none`.
    func session(_ request: Request, now: Date = Date()) -> (session: CitizenSession?, expired: Bool) {
        guard let text = Self.cookie(sessionName, in: request), !text.isEmpty else { return (nil, false) }
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

    /// The value of the first cookie called `name` in the request's `Cookie` headers, as
    /// Hummingbird's `request.cookies[name]?.value` reads it (pairs split at `;`, leading
    /// whitespace dropped, the value is everything after the first `=`, an empty value is no
    /// cookie), but found by comparing bytes: every request looks for the session cookie, and
    /// building Hummingbird's `Cookie` values walked the header Character by Character (≈ 8 % of
    /// the gateway's CPU on the key list).
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            if let value = firstValue(of: name, inHeader: header) { return value.isEmpty ? nil : value }
        }
        return nil
    }

    /// ``cookie(_:in:)`` for one `Cookie` header's text.
    static func cookie(_ name: String, inHeader header: String) -> String? {
        firstValue(of: name, inHeader: header).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value (possibly empty) of the first pair called `name` in a `Cookie` header's text.
    private static func firstValue(of name: String, inHeader header: String) -> String? {
        let bytes = header.utf8
        let nameBytes = name.utf8
        var pairStart = bytes.startIndex
        while pairStart < bytes.endIndex {
            let pairEnd = bytes[pairStart...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
            var start = pairStart
            while start < pairEnd, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") {
                start = bytes.index(after: start)
            }
            if let equals = bytes[start..<pairEnd].firstIndex(of: UInt8(ascii: "=")),
                bytes[start..<equals].elementsEqual(nameBytes)
            {
                return String(Substring(bytes[bytes.index(after: equals)..<pairEnd]))
            }
            pairStart = pairEnd < bytes.endIndex ? bytes.index(after: pairEnd) : pairEnd
        }
        return nil
    }
}
