internal import HummingbirdCore
internal import MKServiceRuntime
public import NIOCore
public import Hummingbird
public import Logging

/// Builds the gateway's router: one middleware for correlation, deadlines, sessions, errors and
/// security headers, then the controllers of each caller kind.
///
/// Throws when the identity provider's keys or the caller credentials do not parse.
public func buildRouter(
    configuration: GatewayConfiguration, backends: GatewayBackends, logger: Logger
) async throws -> Router<GatewayRequestContext> {
    let verifier = try await IdentityTokenVerifier.make(
        keysText: configuration.identityPublicKeys, issuer: configuration.identityIssuer,
        audience: configuration.identityAudience)
    let development =
        configuration.developmentIdentityProvider ? await DevelopmentIdentityProvider.make(trustedBy: verifier) : nil
    let sealer = CookieSealer(secret: configuration.sessionSecret)
    let dependencies = GatewayDependencies(
        configuration: configuration, backends: backends, sealer: sealer, verifier: verifier,
        developmentIdentityProvider: development,
        credentials: try CallerCredentialStore(json: configuration.callerCredentials), limits: .standard(),
        routes: RouteTable(), addressResolver: ClientAddressResolver(trustedProxies: configuration.trustedProxies),
        revocations: SessionRevocations(
            registry: backends.registry, cacheLifetime: configuration.sessionRevocationCache,
            absoluteTimeout: configuration.sessionAbsoluteTimeout),
        signIns: SignInBatches(backends: backends), logger: logger)
    let cookies = SessionCookies(
        sealer: sealer, secure: configuration.cookieSecure, idleTimeout: configuration.sessionIdleTimeout,
        absoluteTimeout: configuration.sessionAbsoluteTimeout)
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: GatewayMiddleware(dependencies: dependencies, cookies: cookies))
    let routes = RouteRegistrar(router: router, table: dependencies.routes)
    SignInController(dependencies: dependencies, cookies: cookies).register(routes)
    PortalController(dependencies: dependencies).register(routes)
    CitizenAPIController(dependencies: dependencies).register(routes)
    MobileAppController(dependencies: dependencies).register(routes)
    CounterController(dependencies: dependencies).register(routes)
    OfficeController(dependencies: dependencies).register(routes)
    AuthorityController(dependencies: dependencies).register(routes)
    IdentityProviderController(dependencies: dependencies).register(routes)
    return router
}

/// Builds the gateway's HTTP application on `configuration.listenAddress`; run it in the
/// process's `ServiceGroup`. `onServerRunning` is called with the listening channel once it is
/// bound (tests read the port chosen for port 0 from it).
public func buildApplication(
    configuration: GatewayConfiguration, backends: GatewayBackends, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(configuration: configuration, backends: backends, logger: logger)
    // A connection with no request in progress closes after the idle timeout; a request's head and
    // body must each arrive within their total deadlines (``RequestReadDeadlineHandler``), however
    // the client paces its bytes; headers are limited in size and count far below Hummingbird's
    // defaults.
    let headTimeout = configuration.headerReadTimeout
    let bodyTimeout = configuration.bodyReadTimeout
    let http = HTTP1Channel.Configuration(
        additionalChannelHandlers: [
            RequestReadDeadlineHandler(headTimeout: headTimeout, bodyTimeout: bodyTimeout, logger: logger)
        ],
        idleTimeout: TimeAmount(configuration.idleTimeout),
        httpDecoderConfiguration: HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100))
    return Application(
        router: router,
        server: .http1(configuration: http),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.listenAddress.host, port: configuration.listenAddress.port),
            serverName: nil),
        onServerRunning: onServerRunning,
        logger: logger)
}
