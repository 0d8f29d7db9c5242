import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Connection {
    /// Opens a connection with `PQconnectdbParams` (keyword/value arrays, `expand_dbname` off), so
    /// no value is ever parsed as conninfo syntax. Blocks for at most the connect timeout.
    static func connect(_ configuration: PostgresConfiguration) throws(PostgresError) -> Connection {
        try configuration.validate()
        let handle = withParameterArrays(parameters(for: configuration)) { keywords, values in
            PQconnectdbParams(keywords, values, 0)
        }
        guard let handle else {
            throw PostgresError(.connectionFailed, reason: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            // Copy the message before PQfinish frees it; never ask PQstatus afterwards.
            let message = CString.string(PQerrorMessage(handle)) ?? ""
            PQfinish(handle)
            throw PostgresError(.connectionFailed, reason: Self.firstLine(message))
        }
        guard let cancel = PQgetCancel(handle) else {
            PQfinish(handle)
            throw PostgresError(.connectionFailed, reason: "libpq could not allocate a cancel object")
        }
        let connection = Connection(handle: handle, cancelToken: CancelToken(cancel), backendPID: PQbackendPID(handle))
        // Without this libpq prints every NOTICE ("relation already exists, skipping") to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        guard CString.string(PQparameterStatus(handle, "integer_datetimes")) == "on" else {
            connection.close()
            throw PostgresError(.connectionFailed, reason: "server does not use integer timestamps")
        }
        return connection
    }

    private static func parameters(for configuration: PostgresConfiguration) -> [(String, String)] {
        let connectSeconds = max(2, Int((Double(configuration.connectTimeout.components.seconds)
            + Double(configuration.connectTimeout.components.attoseconds) / 1e18).rounded(.up)))
        let statementMilliseconds = configuration.statementTimeout.components.seconds * 1000
            + configuration.statementTimeout.components.attoseconds / 1_000_000_000_000_000
        var parameters: [(String, String)] = [
            ("host", configuration.host),
            ("port", String(configuration.port)),
            ("user", configuration.user),
            ("dbname", configuration.database),
            ("connect_timeout", String(connectSeconds)),
            ("client_encoding", "UTF8"),
            ("options", "-c statement_timeout=\(statementMilliseconds)"),
        ]
        if let password = configuration.password { parameters.append(("password", password)) }
        if let sslMode = configuration.sslMode { parameters.append(("sslmode", sslMode.rawValue)) }
        if let name = configuration.applicationName { parameters.append(("application_name", name)) }
        return parameters
    }

    /// NULL-terminated keyword and value arrays, valid only inside `body`.
    private static func withParameterArrays<R>(
        _ parameters: [(String, String)],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            for value in values {
                // Wipe the copies (one is the password) before giving the memory back.
                if let value { memset(value, 0, strlen(value)) }
                free(value)
            }
        }
        let constKeywords = keywords.map { $0.map { UnsafePointer($0) } }
        let constValues = values.map { $0.map { UnsafePointer($0) } }
        return constKeywords.withUnsafeBufferPointer { keywordBuffer in
            constValues.withUnsafeBufferPointer { valueBuffer in
                body(keywordBuffer.baseAddress!, valueBuffer.baseAddress!)
            }
        }
    }

    static func firstLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown libpq error"
    }
}
