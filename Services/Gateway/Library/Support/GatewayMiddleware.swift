internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import MKRPC
internal import MKServiceRuntime

/// Wraps every request: gives it a correlation id, resolves the client's address, opens the
/// session cookie and checks it was not signed out, binds the request's deadline and trace id for
/// every downstream call, turns every error into the JSON error shape or an HTML error page, and
/// adds the security headers.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let dependencies: GatewayDependencies
    let cookies: SessionCookies

    /// The Content-Security-Policy of every answer: no inline script or style, no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let correlationID = RPCTaskContext.newTraceID()
        context.correlationID = correlationID
        context.logger[metadataKey: "correlation-id"] = "\(correlationID)"
        context.clientAddress = dependencies.addressResolver.resolve(
            peer: context.peerAddress, forwardedFor: request.headers[values: .xForwardedFor])
        let opened = cookies.session(request)
        context.sessionExpired = opened.expired

        let deadline = ContinuousClock.now.advanced(by: dependencies.configuration.requestTimeout)
        if let session = opened.session {
            let openedContext = context
            context = await RPCTaskContext.$traceID.withValue(correlationID) {
                await RPCTaskContext.$deadline.withValue(deadline) {
                    await checkRevocation(session, request: request, context: openedContext)
                }
            }
        }

        var response: Response
        do {
            let handlerContext = context
            response = try await RPCTaskContext.$traceID.withValue(correlationID) {
                try await RPCTaskContext.$deadline.withValue(deadline) {
                    try await next(request, handlerContext)
                }
            }
        } catch {
            var failure = ErrorMapping.gatewayError(for: error, logger: context.logger)
            if failure.status == .notFound, failure.code == "NOT_FOUND" {
                let allowed = dependencies.routes.methods(for: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    var headers = HTTPFields()
                    headers[.allow] = Set(allowed.map(\.rawValue)).sorted().joined(separator: ", ")
                    failure = GatewayError(
                        .methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "Metoda není povolena.",
                        headers: headers)
                }
            }
            response = render(failure, request: request, context: context)
        }
        refreshSession(&response, context: context)
        addSecurityHeaders(&response, correlationID: correlationID)
        return response
    }

    /// `context` with the session set when `session` was not signed out, marked revoked when it was,
    /// and unverified when the registry cannot tell. Static assets need no session and skip the call.
    private func checkRevocation(_ session: CitizenSession, request: Request, context: Context) async -> Context {
        var context = context
        guard !request.uri.path.hasPrefix("/static/") else { return context }
        do {
            if try await dependencies.revocations.isRevoked(session) {
                context.sessionRevoked = true
            } else {
                context.session = session
            }
        } catch {
            context.logger.notice("Cannot check whether the session was signed out", metadata: ["error": "\(error)"])
            context.unverifiedSession = session
        }
        return context
    }

    private func render(_ failure: GatewayError, request: Request, context: Context) -> Response {
        if failure.status.code >= 500 {
            context.logger.notice("Request failed", metadata: ["code": "\(failure.code)"])
        }
        if GatewayArea.isJSON(request.uri.path) || request.uri.path.hasPrefix("/static/") {
            return Responses.jsonError(failure, correlationID: context.correlationID)
        }
        if failure.code == "UNAUTHENTICATED", !request.uri.path.hasPrefix("/prepazka") {
            let reason =
                failure.reason == "REAUTHENTICATION_REQUIRED" ? "?duvod=znovu"
                : context.sessionRevoked ? "?duvod=odhlaseno"
                : (context.sessionExpired ? "?duvod=vyprselo" : "")
            return Responses.redirect("/prihlaseni" + reason)
        }
        var response = Responses.html(
            ErrorPage.render(failure, correlationID: context.correlationID, session: context.session),
            status: failure.status)
        for field in failure.headers {
            response.headers.append(field)
        }
        return response
    }

    private func refreshSession(_ response: inout Response, context: Context) {
        let setsSession = response.headers[values: .setCookie].contains { $0.hasPrefix(cookies.sessionName + "=") }
        guard !setsSession else { return }
        if var session = context.session {
            let now = Int64(Date().timeIntervalSince1970)
            guard now - session.lastSeenAt >= 60 else { return }
            session.lastSeenAt = now
            response.setCookie(cookies.sessionCookie(session))
        } else if context.sessionExpired || context.sessionRevoked {
            response.setCookie(cookies.clearedSessionCookie())
        }
    }

    private func addSecurityHeaders(_ response: inout Response, correlationID: String) {
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        response.headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        if dependencies.configuration.cookieSecure {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        response.headers[.xCorrelationID] = correlationID
    }
}
