/// Where and how to connect, and how large the pool is.
///
/// Build it from a URL (``init(url:)``) or the `DATABASE_URL` environment variable
/// (``init(environment:variable:)``). Values reach libpq as keyword/value pairs, never as an
/// assembled conninfo string, and are checked for interior NULs first. `description` never prints
/// the password.
public struct PostgresConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Host name, IP address, or a directory holding a Unix socket.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Role to log in as.
    public var user: String
    /// Password, or `nil` for trust/peer authentication.
    public var password: String?
    /// Database name.
    public var database: String
    /// TLS requirement; `nil` leaves libpq's default (`prefer`).
    public var sslMode: SSLMode?
    /// Shown in `pg_stat_activity.application_name`.
    public var applicationName: String?
    /// How long one connection attempt may take; libpq counts whole seconds (at least 2).
    public var connectTimeout: Duration
    /// Server-side limit for one statement, sent as `-c statement_timeout=…`; zero disables it.
    public var statementTimeout: Duration
    /// Largest number of open connections, and of libpq threads.
    public var maximumConnections: Int
    /// How long a caller waits for a free connection before ``PostgresError/Code/poolTimeout``.
    public var acquireTimeout: Duration
    /// How many pooled connections ``PostgresClient/pipelinedQuery(_:)`` sends on at once at most
    /// (and at most ``maximumConnections``). One sends everything while it keeps up, since the
    /// fewer, the more statements share a round trip; another starts only for a statement queued
    /// once every sending one has waited ``pipelineStall`` for its answers.
    public var pipelineConnections: Int
    /// How long the connections sending pipelined statements may wait for their answers before a
    /// statement queued behind them starts another: how long a slow statement holds the statements
    /// after it.
    public var pipelineStall: Duration

    /// Creates a configuration with the defaults: 3 s connect timeout, 10 s statement timeout,
    /// 10 connections, 5 s acquire timeout, 2 connections for pipelined statements, the second
    /// after a 2 ms stall.
    public init(
        host: String = "127.0.0.1",
        port: Int = 5432,
        user: String,
        password: String? = nil,
        database: String,
        sslMode: SSLMode? = nil,
        applicationName: String? = nil,
        connectTimeout: Duration = .seconds(3),
        statementTimeout: Duration = .seconds(10),
        maximumConnections: Int = 10,
        acquireTimeout: Duration = .seconds(5),
        pipelineConnections: Int = 2,
        pipelineStall: Duration = .milliseconds(2)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.maximumConnections = maximumConnections
        self.acquireTimeout = acquireTimeout
        self.pipelineConnections = pipelineConnections
        self.pipelineStall = pipelineStall
    }

    public var description: String {
        var text = "postgresql://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        text += " (sslmode: \(sslMode?.rawValue ?? "default"), pool: \(maximumConnections)"
        text += ", connectTimeout: \(connectTimeout), statementTimeout: \(statementTimeout)"
        text += ", acquireTimeout: \(acquireTimeout), pipeline: \(pipelineConnections) after \(pipelineStall))"
        return text
    }
}
