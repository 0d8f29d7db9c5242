internal import Hummingbird

/// Authenticates offices, authorities and the identity provider by HTTP Basic credentials; each
/// kind is accepted only on its own API. Failures are rate-limited per client address.
struct CallerGuard {
    let dependencies: GatewayDependencies

    /// The caller of `kind`, or 401 (with a Basic challenge when `challenge` names a realm).
    func require(
        _ kind: CallerCredential.Kind, _ request: Request, _ context: GatewayRequestContext, challenge: String? = nil
    ) throws -> CallerCredential {
        if let caller = dependencies.credentials.authenticate(
            authorization: request.headers[.authorization], kind: kind)
        {
            return caller
        }
        guard dependencies.limits.authenticationFailures.allow(context.clientAddress) else {
            throw GatewayError.rateLimited
        }
        var failure = GatewayError(.unauthorized, code: "UNAUTHENTICATED", message: "Neplatné přihlašovací údaje.")
        failure.headers[.wwwAuthenticate] = "Basic realm=\"\(challenge ?? "Mobilni klic")\", charset=\"UTF-8\""
        throw failure
    }
}
