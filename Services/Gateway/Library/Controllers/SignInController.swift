internal import JWTKit
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import MKServiceRuntime

/// Citizen sign-in and sign-out: the sign-in page, the identity provider's token callback, the
/// development identity provider (only when enabled), and sign-out.
struct SignInController {
    let dependencies: GatewayDependencies
    let cookies: SessionCookies

    func register(_ routes: RouteRegistrar) {
        routes.get("/") { _, context in
            Responses.redirect(context.session == nil ? "/prihlaseni" : "/mobilni-klice")
        }
        routes.get("/prihlaseni") { request, context in try signInPage(request, context) }
        routes.post("/prihlaseni/token") { request, context in try await tokenCallback(request, context) }
        routes.post("/odhlaseni") { request, context in try await signOut(request, context) }
        guard dependencies.developmentIdentityProvider != nil else { return }
        routes.get("/dev-idp") { request, context in try developmentPage(request, context) }
        routes.post("/dev-idp") { request, context in try await developmentSignIn(request, context) }
    }

    private static let reasons = [
        "znovu": "Z bezpečnostních důvodů se prosím přihlaste znovu.",
        "vyprselo": "Vaše přihlášení vypršelo. Přihlaste se prosím znovu.",
        "odhlaseno": "Byli jste odhlášeni.",
        "selhalo": "Přihlášení se nezdařilo. Zkuste to prosím znovu.",
    ]

    private func signInPage(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
        let attempt = LoginAttempt(nonce: Base64URL.random(bytes: 24), startedAt: Int64(Date().timeIntervalSince1970))
        let authorizeURL: String
        if dependencies.developmentIdentityProvider != nil {
            authorizeURL = "/dev-idp?nonce=\(attempt.nonce)"
        } else if let base = dependencies.configuration.identityAuthorizeURL {
            authorizeURL = base + (base.contains("?") ? "&" : "?") + "nonce=\(attempt.nonce)"
        } else {
            throw GatewayError.unavailable
        }
        let reason = request.uri.queryParameters.get("duvod").flatMap { Self.reasons[$0] }
        var response = Responses.html(
            SignInPage.render(
                authorizeURL: authorizeURL, reason: reason,
                development: dependencies.developmentIdentityProvider != nil))
        response.setCookie(cookies.loginCookie(attempt))
        return response
    }

    private func tokenCallback(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        try RateLimits.check(dependencies.limits.signIn, context.clientAddress)
        let form = try await RequestBody.form(request, limit: 16 * 1024)
        return try await establish(token: form["id_token"] ?? "", request: request, context: context)
    }

    /// Verifies `token` against the pending sign-in's nonce and starts the session.
    private func establish(token: String, request: Request, context: GatewayRequestContext) async throws
        -> Response
    {
        guard let attempt = cookies.loginAttempt(request) else {
            return Responses.redirect("/prihlaseni?duvod=selhalo")
        }
        let claims: IdentityTokenClaims
        do {
            claims = try await dependencies.verifier.verify(token, nonce: attempt.nonce)
        } catch {
            context.logger.notice("Identity token refused", metadata: ["why": "\(error)"])
            return Responses.redirect("/prihlaseni?duvod=selhalo")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let session = CitizenSession(
            subject: claims.sub.value, name: claims.name ?? "", authenticatedAt: now, lastSeenAt: now,
            csrfToken: Base64URL.random(bytes: 24), sessionID: UUID.random().lowercaseText)
        var response = Responses.redirect("/mobilni-klice")
        response.setCookie(cookies.sessionCookie(session))
        response.setCookie(cookies.clearedLoginCookie())
        return response
    }

    /// Deletes the cookie and revokes the session on every replica (through the Device Registry),
    /// so a copy of the cookie stops working too. When the registry cannot record the revocation
    /// the browser still forgets the cookie, but the answer is "temporarily unavailable" rather
    /// than a sign-out confirmation the server could not keep.
    private func signOut(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let form = try await RequestBody.form(request, limit: 4096)
        if let session = context.session ?? context.unverifiedSession {
            try CitizenGuard.csrf(form["csrf"], session)
            do {
                try await dependencies.revocations.revoke(session)
            } catch {
                context.logger.warning("Sign-out not recorded by the registry", metadata: ["error": "\(error)"])
                var failure = GatewayError.unavailable
                failure.headers.append(HTTPField(name: .setCookie, value: cookies.clearedSessionCookie().description))
                throw failure
            }
        }
        var response = Responses.redirect("/prihlaseni?duvod=odhlaseno")
        response.setCookie(cookies.clearedSessionCookie())
        return response
    }

    private func developmentPage(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
        guard let attempt = cookies.loginAttempt(request) else { return Responses.redirect("/prihlaseni") }
        return Responses.html(DevelopmentSignInPage.render(citizens: DemoCitizen.all, nonce: attempt.nonce))
    }

    private func developmentSignIn(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        guard let provider = dependencies.developmentIdentityProvider else { throw GatewayError.notFound }
        try RateLimits.check(dependencies.limits.signIn, context.clientAddress)
        let form = try await RequestBody.form(request, limit: 4096)
        guard let citizen = DemoCitizen.all.first(where: { $0.subject == form["subject"] }),
            let nonce = form["nonce"], let attempt = cookies.loginAttempt(request),
            Base64URL.constantTimeEqual(nonce, attempt.nonce)
        else { return Responses.redirect("/prihlaseni?duvod=selhalo") }
        let token = try await provider.token(for: citizen, nonce: nonce)
        return try await establish(token: token, request: request, context: context)
    }
}
