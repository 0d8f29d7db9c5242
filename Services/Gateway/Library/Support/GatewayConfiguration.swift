internal import Foundation
public import MKServiceRuntime

/// Everything the gateway reads from its environment, validated at start.
public struct GatewayConfiguration: Sendable {
    /// Where the HTTP server listens (`LISTEN_ADDR`, default 127.0.0.1:8080).
    public var listenAddress: HostAndPort
    /// The admin port (`ADMIN_ADDR`, default 127.0.0.1:9080).
    public var adminAddress: HostAndPort
    /// The Device Registry (`DEVICE_REGISTRY_ADDR`, default 127.0.0.1:7101).
    public var deviceRegistryAddress: HostAndPort
    /// Preferences (`PREFERENCES_ADDR`, default 127.0.0.1:7201).
    public var preferencesAddress: HostAndPort
    /// BOK (`BOK_ADDR`, default 127.0.0.1:7301).
    public var bokAddress: HostAndPort
    /// The identity provider's issuer (`IDP_ISSUER`).
    public var identityIssuer: String
    /// The audience the identity provider's tokens must name (`IDP_AUDIENCE`).
    public var identityAudience: String
    /// Where the browser goes to sign in at the identity provider (`IDP_AUTHORIZE_URL`); the gateway
    /// appends `nonce` and `redirect_uri`. Unused with the development identity provider.
    public var identityAuthorizeURL: String?
    /// The identity provider's public keys, JWKS JSON or PEM (`IDP_PUBLIC_KEYS_FILE` contents).
    public var identityPublicKeys: String?
    /// Whether the development identity provider is on (`DEV_IDENTITY_PROVIDER`, default false).
    public var developmentIdentityProvider: Bool
    /// The secret sealing session cookies (`SESSION_SECRET`, at least 32 bytes). Never logged.
    public var sessionSecret: String
    /// Whether cookies carry `Secure` (`COOKIE_SECURE`, default true).
    public var cookieSecure: Bool
    /// Office, authority and identity-provider credentials (`CALLER_CREDENTIALS_FILE` contents).
    public var callerCredentials: String?
    /// Peers whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, comma-separated addresses).
    public var trustedProxies: Set<String>
    /// A session ends this long after the last request (`SESSION_IDLE_TIMEOUT_MS`, default 15 min).
    public var sessionIdleTimeout: Duration
    /// A session ends this long after sign-in (`SESSION_ABSOLUTE_TIMEOUT_MS`, default 8 h).
    public var sessionAbsoluteTimeout: Duration
    /// Pairing and unpairing need a sign-in at most this old (`RECENT_SIGN_IN_MS`, default 10 min).
    public var recentSignIn: Duration
    /// The deadline of one HTTP request, passed on to every downstream call (`REQUEST_TIMEOUT_MS`,
    /// default 5 s).
    public var requestTimeout: Duration
    /// The longest a mobile-app inbox long-poll waits (`INBOX_LONG_POLL_MS`, default 25 s).
    public var inboxLongPoll: Duration
    /// Largest request body accepted, in bytes (`MAX_BODY_BYTES`, default 16 KiB).
    public var maximumBodyBytes: Int
    /// The whole request head (request line and headers) must arrive within this time of its first
    /// byte, or the connection is closed (`HEADER_READ_TIMEOUT_MS`, default 10 s).
    public var headerReadTimeout: Duration
    /// The whole request body must arrive within this time of the head, or the connection is closed
    /// (`BODY_READ_TIMEOUT_MS`, default 30 s).
    public var bodyReadTimeout: Duration
    /// A connection with no request in progress is closed after this time (`IDLE_TIMEOUT_MS`,
    /// default 30 s).
    public var idleTimeout: Duration
    /// How long a replica trusts a registry answer that a session is *not* signed out
    /// (`SESSION_REVOCATION_CACHE_MS`, default 2 s; 0 asks the registry on every request). A
    /// sign-out on another replica takes effect here within this time.
    public var sessionRevocationCache: Duration
    /// Log level (`LOG_LEVEL`, default info).
    public var logLevel: String

    /// A configuration for tests and embedding; every value has a development-safe default.
    public init(
        sessionSecret: String,
        identityIssuer: String = "https://nb.dev.invalid",
        identityAudience: String = "mobilni-klic-portal",
        developmentIdentityProvider: Bool = false,
        cookieSecure: Bool = true
    ) {
        self.listenAddress = HostAndPort(host: "127.0.0.1", port: 8080)
        self.adminAddress = HostAndPort(host: "127.0.0.1", port: 9080)
        self.deviceRegistryAddress = HostAndPort(host: "127.0.0.1", port: 7101)
        self.preferencesAddress = HostAndPort(host: "127.0.0.1", port: 7201)
        self.bokAddress = HostAndPort(host: "127.0.0.1", port: 7301)
        self.identityIssuer = identityIssuer
        self.identityAudience = identityAudience
        self.identityAuthorizeURL = nil
        self.identityPublicKeys = nil
        self.developmentIdentityProvider = developmentIdentityProvider
        self.sessionSecret = sessionSecret
        self.cookieSecure = cookieSecure
        self.callerCredentials = nil
        self.trustedProxies = []
        self.sessionIdleTimeout = .seconds(15 * 60)
        self.sessionAbsoluteTimeout = .seconds(8 * 3600)
        self.recentSignIn = .seconds(10 * 60)
        self.requestTimeout = .seconds(5)
        self.inboxLongPoll = .seconds(25)
        self.maximumBodyBytes = 16 * 1024
        self.headerReadTimeout = .seconds(10)
        self.bodyReadTimeout = .seconds(30)
        self.idleTimeout = .seconds(30)
        self.sessionRevocationCache = .seconds(2)
        self.logLevel = "info"
    }

    /// Reads the environment. `readFile` loads the files the settings name.
    public init(environment: EnvironmentSettings, readFile: (String) throws -> String) throws {
        let secret = try environment.string("SESSION_SECRET")
        guard secret.utf8.count >= 32 else {
            throw ConfigurationError(setting: "SESSION_SECRET", problem: "must be at least 32 bytes")
        }
        let development = try environment.boolean("DEV_IDENTITY_PROVIDER", default: false)
        self.init(
            sessionSecret: secret,
            identityIssuer: try environment.string(
                "IDP_ISSUER", default: development ? "https://nb.dev.invalid" : nil),
            identityAudience: try environment.string(
                "IDP_AUDIENCE", default: development ? "mobilni-klic-portal" : nil),
            developmentIdentityProvider: development,
            cookieSecure: try environment.boolean("COOKIE_SECURE", default: true)
        )
        listenAddress = try environment.address("LISTEN_ADDR", default: "127.0.0.1:8080")
        adminAddress = try environment.address("ADMIN_ADDR", default: "127.0.0.1:9080")
        deviceRegistryAddress = try environment.address("DEVICE_REGISTRY_ADDR", default: "127.0.0.1:7101")
        preferencesAddress = try environment.address("PREFERENCES_ADDR", default: "127.0.0.1:7201")
        bokAddress = try environment.address("BOK_ADDR", default: "127.0.0.1:7301")
        identityAuthorizeURL = try environment.optionalString("IDP_AUTHORIZE_URL")
        if let path = try environment.optionalString("IDP_PUBLIC_KEYS_FILE") {
            identityPublicKeys = try Self.load(path, setting: "IDP_PUBLIC_KEYS_FILE", readFile)
        } else if !development {
            throw ConfigurationError(
                setting: "IDP_PUBLIC_KEYS_FILE", problem: "is required unless DEV_IDENTITY_PROVIDER is true")
        }
        if let path = try environment.optionalString("CALLER_CREDENTIALS_FILE") {
            callerCredentials = try Self.load(path, setting: "CALLER_CREDENTIALS_FILE", readFile)
        }
        let proxies = try environment.string("TRUSTED_PROXIES", default: "")
        trustedProxies = Set(
            proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        sessionIdleTimeout = try environment.milliseconds(
            "SESSION_IDLE_TIMEOUT_MS", default: sessionIdleTimeout, in: 60_000...86_400_000)
        sessionAbsoluteTimeout = try environment.milliseconds(
            "SESSION_ABSOLUTE_TIMEOUT_MS", default: sessionAbsoluteTimeout, in: 60_000...604_800_000)
        recentSignIn = try environment.milliseconds(
            "RECENT_SIGN_IN_MS", default: recentSignIn, in: 60_000...86_400_000)
        requestTimeout = try environment.milliseconds(
            "REQUEST_TIMEOUT_MS", default: requestTimeout, in: 100...60_000)
        inboxLongPoll = try environment.milliseconds(
            "INBOX_LONG_POLL_MS", default: inboxLongPoll, in: 0...60_000)
        maximumBodyBytes = try environment.integer("MAX_BODY_BYTES", default: maximumBodyBytes, in: 1024...1_048_576)
        headerReadTimeout = try environment.milliseconds(
            "HEADER_READ_TIMEOUT_MS", default: headerReadTimeout, in: 500...120_000)
        bodyReadTimeout = try environment.milliseconds(
            "BODY_READ_TIMEOUT_MS", default: bodyReadTimeout, in: 500...300_000)
        idleTimeout = try environment.milliseconds("IDLE_TIMEOUT_MS", default: idleTimeout, in: 1_000...600_000)
        sessionRevocationCache = try environment.milliseconds(
            "SESSION_REVOCATION_CACHE_MS", default: sessionRevocationCache, in: 0...10_000)
        logLevel = try environment.string("LOG_LEVEL", default: "info")
    }

    private static func load(_ path: String, setting: String, _ readFile: (String) throws -> String) throws
        -> String
    {
        do {
            return try readFile(path)
        } catch {
            throw ConfigurationError(setting: setting, problem: "cannot be read: \(error)")
        }
    }
}
