internal import Foundation
public import Logging
internal import MKEvents
public import MKMessages
public import MKPostgres
public import MKRPC
public import MKServiceRuntime

/// The `bok` process's configuration, read from environment variables; a malformed value stops
/// the process at start with a message naming the variable (never a secret's value).
public struct BokSettings: Sendable {
    /// `DATABASE_URL`: the BOK database (role and schema `bok`).
    public var database: PostgresConfiguration
    /// `LISTEN_ADDR`: the RPC address (default `127.0.0.1:7301`).
    public var listenAddress: HostAndPort
    /// `ADMIN_ADDR`: `/healthz`, `/readyz`, `/metrics` (default `127.0.0.1:9301`).
    public var adminAddress: HostAndPort
    /// `LOG_LEVEL`: `trace` … `critical` (default `info`).
    public var logLevel: Logger.Level
    /// `DEVICE_REGISTRY_ADDR`: the Device Registry (default `127.0.0.1:7101`).
    public var deviceRegistryAddress: HostAndPort
    /// `PREFERENCES_ADDR`: the Preferences service (default `127.0.0.1:7201`).
    public var preferencesAddress: HostAndPort
    /// `EVENT_SUBSCRIBERS`: `name=host:port` items separated by commas, each optionally limited to
    /// the event types it takes (`name=host:port/TYPE+TYPE`), e.g. `preferences=127.0.0.1:7201`.
    public var eventSubscribers: [(name: String, address: HostAndPort, eventTypes: Set<Mk_Events_V1_EventType>?)]
    /// `RPC_TLS_CERT_FILE`, `RPC_TLS_KEY_FILE`, `RPC_TLS_CA_FILE` (mutual TLS), or
    /// `RPC_PLAINTEXT=true` on loopback for development: how RPC connections are protected.
    public var rpcSecurity: RPCTransportSecurity
    /// `BOK_PEPPER_FILE` or `BOK_PEPPER`: `id:base64secret` entries (current and older peppers);
    /// `BOK_PEPPER_KEY_ID` names the current one (default: the first entry).
    public var peppers: PepperKeyring
    /// `BOK_HPKE_KEY_FILE` or `BOK_HPKE_KEY`: the HPKE private key (PEM, or base64 of the 32-byte
    /// scalar); `BOK_HPKE_KEY_ID` its id (default: derived from the public key).
    public var hpkeKey: BokHpkeKey
    /// `BOK_ARGON2_MEMORY_KIB` (default 65536), `BOK_ARGON2_ITERATIONS` (3),
    /// `BOK_ARGON2_PARALLELISM` (1), `BOK_HASH_CONCURRENCY` (the number of cores),
    /// `BOK_REQUEST_LIFETIME_SECONDS` (120), `BOK_CITIZEN_LIMIT_PER_10_MIN` (5),
    /// `BOK_COUNTER_LIMIT_PER_HOUR` (60).
    public var configuration: BokConfiguration

    /// Reads and validates every setting; the secret files are read here.
    public init(environment: EnvironmentSettings) throws {
        database = try environment.database()
        listenAddress = try environment.address("LISTEN_ADDR", default: "127.0.0.1:7301")
        adminAddress = try environment.address("ADMIN_ADDR", default: "127.0.0.1:9301")
        logLevel = try ProcessBootstrap.logLevel(try environment.string("LOG_LEVEL", default: "info"))
        deviceRegistryAddress = try environment.address("DEVICE_REGISTRY_ADDR", default: "127.0.0.1:7101")
        preferencesAddress = try environment.address("PREFERENCES_ADDR", default: "127.0.0.1:7201")
        eventSubscribers = try environment.eventSubscribers(eventType: Mk_Events_V1_EventType.init(name:))
        rpcSecurity = try environment.rpcTransportSecurity(listenAddress: listenAddress)

        let pepperText = try Self.secret(environment, value: "BOK_PEPPER", file: "BOK_PEPPER_FILE")
        let currentPepper = try environment.optionalString("BOK_PEPPER_KEY_ID")
        do {
            peppers = try PepperKeyring(parsing: pepperText, current: currentPepper)
        } catch {
            throw ConfigurationError(setting: "BOK_PEPPER", problem: error.problem)
        }
        let hpkeText = try Self.secret(environment, value: "BOK_HPKE_KEY", file: "BOK_HPKE_KEY_FILE")
        let hpkeKeyID = try environment.optionalString("BOK_HPKE_KEY_ID")
        do {
            hpkeKey = try BokHpkeKey(text: hpkeText, keyID: hpkeKeyID)
        } catch {
            throw ConfigurationError(setting: "BOK_HPKE_KEY", problem: error.problem)
        }

        let argon2 = Argon2Parameters(
            memoryKiB: try environment.integer("BOK_ARGON2_MEMORY_KIB", default: 65_536, in: 8...4_194_304),
            iterations: try environment.integer("BOK_ARGON2_ITERATIONS", default: 3, in: 1...100),
            parallelism: try environment.integer("BOK_ARGON2_PARALLELISM", default: 1, in: 1...64))
        guard argon2.isValid else {
            throw ConfigurationError(
                setting: "BOK_ARGON2_MEMORY_KIB", problem: "must be at least 8 × BOK_ARGON2_PARALLELISM")
        }
        configuration = BokConfiguration(
            argon2: argon2,
            hashConcurrency: try environment.integer(
                "BOK_HASH_CONCURRENCY", default: BokConfiguration.coreCount, in: 1...1024),
            requestLifetime: .seconds(try environment.integer("BOK_REQUEST_LIFETIME_SECONDS", default: 120, in: 30...600)),
            verificationsPerCitizenPer10Minutes: try environment.integer(
                "BOK_CITIZEN_LIMIT_PER_10_MIN", default: 5, in: 1...1000),
            verificationsPerCounterPerHour: try environment.integer(
                "BOK_COUNTER_LIMIT_PER_HOUR", default: 60, in: 1...100_000))
    }

    /// A secret from the file named by `file`, or else from `value` itself; exactly one is set.
    static func secret(_ environment: EnvironmentSettings, value: String, file: String) throws -> String {
        let path = try environment.optionalString(file)
        let inline = try environment.optionalString(value)
        switch (path, inline) {
        case (let path?, nil):
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(setting: file, problem: "cannot be read as UTF-8 text")
            }
        case (nil, let inline?):
            return inline
        case (.some, .some):
            throw ConfigurationError(setting: value, problem: "set either \(value) or \(file), not both")
        case (nil, nil):
            throw ConfigurationError(setting: value, problem: "is required (or \(file))")
        }
    }
}
