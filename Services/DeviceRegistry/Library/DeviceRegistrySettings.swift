public import Logging
internal import MKEvents
public import MKMessages
public import MKPostgres
public import MKRPC
public import MKServiceRuntime

/// The `device-registry` process's configuration, read from environment variables; a malformed
/// value stops the process at start with a message naming the variable.
public struct DeviceRegistrySettings: Sendable {
    /// `DATABASE_URL`: the registry's database (role and schema `registry`).
    public var database: PostgresConfiguration
    /// `LISTEN_ADDR`: the RPC address (default `127.0.0.1:7101`).
    public var listenAddress: HostAndPort
    /// `ADMIN_ADDR`: `/healthz`, `/readyz`, `/metrics` (default `127.0.0.1:9101`).
    public var adminAddress: HostAndPort
    /// `LOG_LEVEL`: `trace` … `critical` (default `info`).
    public var logLevel: Logger.Level
    /// `MAX_ACTIVE_KEYS`: active keys per citizen, 1 to 100 (default 10).
    public var maximumActiveKeys: Int
    /// `EVENT_SUBSCRIBERS`: `name=host:port` items separated by commas, each optionally limited to
    /// the event types it takes (`preferences=127.0.0.1:7201/DEVICE_PAIRED+DEVICE_RENAMED`); empty
    /// publishes to nobody (events wait in the outbox for subscribers registered later only from
    /// their registration on).
    public var eventSubscribers: [(name: String, address: HostAndPort, eventTypes: Set<Mk_Events_V1_EventType>?)]
    /// `RPC_TLS_CERT_FILE`, `RPC_TLS_KEY_FILE`, `RPC_TLS_CA_FILE` (mutual TLS), or
    /// `RPC_PLAINTEXT=true` on loopback for development: how RPC connections are protected.
    public var rpcSecurity: RPCTransportSecurity

    /// Reads and validates every setting.
    public init(environment: EnvironmentSettings) throws {
        database = try environment.database()
        listenAddress = try environment.address("LISTEN_ADDR", default: "127.0.0.1:7101")
        adminAddress = try environment.address("ADMIN_ADDR", default: "127.0.0.1:9101")
        logLevel = try ProcessBootstrap.logLevel(try environment.string("LOG_LEVEL", default: "info"))
        maximumActiveKeys = try environment.integer("MAX_ACTIVE_KEYS", default: 10, in: 1...100)
        eventSubscribers = try environment.eventSubscribers(eventType: Mk_Events_V1_EventType.init(name:))
        rpcSecurity = try environment.rpcTransportSecurity(listenAddress: listenAddress)
    }
}
