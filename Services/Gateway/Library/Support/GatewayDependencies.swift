internal import Logging

/// What the handlers share: configuration, the service clients, the session sealer, the identity
/// token verifier, caller credentials, rate limits and the sessions signed out. Immutable after
/// start.
struct GatewayDependencies: Sendable {
    let configuration: GatewayConfiguration
    let backends: GatewayBackends
    let sealer: CookieSealer
    let verifier: IdentityTokenVerifier
    let developmentIdentityProvider: DevelopmentIdentityProvider?
    let credentials: CallerCredentialStore
    let limits: RateLimits
    let routes: RouteTable
    let addressResolver: ClientAddressResolver
    let revocations: SessionRevocations
    let signIns: SignInBatches
    let logger: Logger
}
