public import Foundation

extension PostgresConfiguration {
    /// The environment variable services read their database URL from.
    public static let environmentVariable = "DATABASE_URL"

    /// Parses `postgresql://user:password@host:port/database?option=value…`.
    ///
    /// User, password and database are percent-decoded. Options: `sslmode`, `application_name`,
    /// `connect_timeout` (seconds), `statement_timeout` (milliseconds), `pool_size`,
    /// `acquire_timeout` (milliseconds), `pipeline_connections`, `pipeline_stall` (milliseconds),
    /// and `host` (overrides the authority, e.g. a socket directory). Unknown options are rejected
    /// so that a typo does not silently weaken a setting.
    public init(url: String) throws(PostgresError) {
        guard let components = URLComponents(string: url),
            components.scheme == "postgresql" || components.scheme == "postgres"
        else {
            throw PostgresError(.invalidConfiguration, reason: "not a postgresql:// URL")
        }
        let user = try Self.decoded(components.percentEncodedUser, field: "user")
        let path = try Self.decoded(components.percentEncodedPath, field: "database") ?? ""
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard let user, !user.isEmpty else {
            throw PostgresError(.invalidConfiguration, reason: "the URL names no user")
        }
        self.init(
            host: try Self.decoded(components.percentEncodedHost, field: "host") ?? "127.0.0.1",
            port: components.port ?? 5432,
            user: user,
            password: try Self.decoded(components.percentEncodedPassword, field: "password"),
            database: database.isEmpty ? user : database
        )
        for item in components.percentEncodedQueryItems ?? [] {
            try apply(option: item.name, value: Self.decoded(item.value, field: item.name) ?? "")
        }
        try validate()
    }

    /// Reads the URL from `variable` (default `DATABASE_URL`) in `environment`.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        variable: String = PostgresConfiguration.environmentVariable
    ) throws(PostgresError) {
        guard let url = environment[variable], !url.isEmpty else {
            throw PostgresError(.invalidConfiguration, reason: "\(variable) is not set")
        }
        try self.init(url: url)
    }

    /// Checks every value libpq will see: no interior NULs, numbers in range.
    func validate() throws(PostgresError) {
        for (field, value) in [("host", host), ("user", user), ("database", database)] {
            try CString.check(value, field: field)
        }
        if let password { try CString.check(password, field: "password") }
        if let applicationName { try CString.check(applicationName, field: "application_name") }
        guard (1...65535).contains(port) else {
            throw PostgresError(.invalidConfiguration, reason: "port out of range")
        }
        guard maximumConnections >= 1 else {
            throw PostgresError(.invalidConfiguration, reason: "pool_size must be at least 1")
        }
        guard pipelineConnections >= 1 else {
            throw PostgresError(.invalidConfiguration, reason: "pipeline_connections must be at least 1")
        }
        guard connectTimeout > .zero, acquireTimeout > .zero, statementTimeout >= .zero else {
            throw PostgresError(.invalidConfiguration, reason: "timeouts must be positive")
        }
    }

    private mutating func apply(option: String, value: String) throws(PostgresError) {
        switch option {
        case "sslmode":
            guard let mode = SSLMode(rawValue: value) else {
                throw PostgresError(.invalidConfiguration, reason: "unknown sslmode")
            }
            sslMode = mode
        case "application_name":
            applicationName = value
        case "host":
            host = value
        case "connect_timeout":
            connectTimeout = .seconds(try Self.integer(value, option: option))
        case "statement_timeout":
            statementTimeout = .milliseconds(try Self.integer(value, option: option))
        case "acquire_timeout":
            acquireTimeout = .milliseconds(try Self.integer(value, option: option))
        case "pool_size":
            maximumConnections = try Self.integer(value, option: option)
        case "pipeline_connections":
            pipelineConnections = try Self.integer(value, option: option)
        case "pipeline_stall":
            pipelineStall = .milliseconds(try Self.integer(value, option: option))
        default:
            throw PostgresError(.invalidConfiguration, reason: "unknown URL option \(option)")
        }
    }

    private static func integer(_ value: String, option: String) throws(PostgresError) -> Int {
        guard let number = Int(value), number >= 0 else {
            throw PostgresError(.invalidConfiguration, reason: "\(option) must be a non-negative integer")
        }
        return number
    }

    /// Percent-decodes; invalid escapes and invalid UTF-8 are errors rather than silently dropped.
    private static func decoded(_ encoded: String?, field: String) throws(PostgresError) -> String? {
        guard let encoded else { return nil }
        guard let decoded = encoded.removingPercentEncoding else {
            throw PostgresError(.invalidConfiguration, reason: "\(field) is not valid percent-encoded UTF-8")
        }
        try CString.check(decoded, field: field)
        return decoded
    }
}
