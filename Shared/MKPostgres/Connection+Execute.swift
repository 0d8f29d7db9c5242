import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Connection {
    /// Runs a parameterised statement, binary in and out. The statement is prepared once per
    /// connection (`PQprepare`) and executed by name afterwards (`PQexecPrepared`).
    func execute(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        guard let handle else { throw Self.closedError }
        defer { refreshStatus() }
        let statement = try prepared(query, handle: handle)
        let result = try Self.withParameters(statement.query.binds) { values, lengths, formats in
            if let name = statement.name {
                return PQexecPrepared(handle, name, statement.parameterCount, values, lengths, formats, 1)
            }
            return PQexecParams(
                handle, statement.query.sql, statement.parameterCount, statement.types, values, lengths, formats, 1)
        }
        return try consume(result)
    }

    /// A checked statement with the name it is prepared under on this connection, or `nil` to send it
    /// unnamed; prepares it (a blocking round trip) the first time.
    func prepared(_ query: PostgresQuery, handle: OpaquePointer) throws(PostgresError) -> PreparedStatement {
        let query = try query.checked()
        try CString.check(query.sql, field: "SQL text")
        guard query.binds.count <= Int(UInt16.max) else {
            throw PostgresError(.invalidParameter, reason: "more than 65535 parameters")
        }
        let types = query.binds.map(\.dataType.rawValue)
        let key = StatementKey(sql: query.sql, parameterTypes: types)
        if let name = statements[key] {
            return PreparedStatement(query: query, types: types, name: name)
        }
        return PreparedStatement(query: query, types: types, name: try prepare(key, handle: handle))
    }

    /// Runs SQL text with `PQexec`: several statements, no parameters, text results discarded.
    func simpleExecute(_ sql: String) throws(PostgresError) -> PostgresRows {
        try CString.check(sql, field: "SQL text")
        guard let handle else { throw Self.closedError }
        defer { refreshStatus() }
        return try consume(PQexec(handle, sql), binary: false)
    }

    /// Whether the idle connection can be lent out. Reads what the server sent while it sat in the
    /// pool, so a backend killed by `pg_terminate_backend` or a restarted server shows up here
    /// instead of failing the borrower's first statement.
    ///
    /// Any input on an idle connection retires it: this layer never LISTENs, so what arrives is the
    /// server ending the session (a FATAL error, then EOF). libpq hands an idle FATAL to the notice
    /// processor and keeps `CONNECTION_OK` until it reads the EOF, which may not have arrived yet,
    /// so the status alone would let a dying connection through.
    func checkUsable() -> Bool {
        guard let handle else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) != 0 {
            _ = PQconsumeInput(handle)
            refreshStatus()
            return false
        }
        refreshStatus()
        return isIdleAndHealthy
    }

    /// Prepares `key` under a new name, or returns `nil` once the cache is full (the statement is
    /// then sent unnamed with `PQexecParams`, so a stream of distinct statements cannot grow the
    /// server's memory without bound).
    private func prepare(_ key: StatementKey, handle: OpaquePointer) throws(PostgresError) -> String? {
        guard statements.count < Self.statementCacheLimit else { return nil }
        let name = "mk_\(statements.count + 1)"
        _ = try consume(PQprepare(handle, name, key.sql, Int32(key.parameterTypes.count), key.parameterTypes))
        statements[key] = name
        return name
    }

    /// Copies the result out and clears it on every path.
    func consume(_ result: OpaquePointer?, binary: Bool = true) throws(PostgresError) -> PostgresRows {
        guard let result else {
            // A NULL result means libpq ran out of memory or lost the connection.
            throw PostgresError(
                .connectionClosed,
                reason: Self.firstLine(handle.flatMap { CString.string(PQerrorMessage($0)) } ?? "")
            )
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return ResultReader.rows(from: result, binary: binary)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw ResultReader.error(from: result, connectionBroken: handle.map { PQstatus($0) != CONNECTION_OK } ?? true)
        default:
            throw PostgresError(.server, reason: "unsupported result (COPY is not available through this layer)")
        }
    }

    /// Parameter arrays for libpq, pointing into one buffer that lives only inside `body`.
    static func withParameters<R>(
        _ binds: [PostgresBind],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) throws(PostgresError) -> R {
        // One spare byte keeps the buffer non-empty, so an empty string still gets a valid pointer.
        var buffer: [UInt8] = [0]
        var offsets: [Int] = []
        var lengths: [Int32] = []
        for bind in binds {
            guard let bytes = bind.bytes else {
                offsets.append(-1)
                lengths.append(0)
                continue
            }
            guard let length = Int32(exactly: bytes.count) else {
                throw PostgresError(.invalidParameter, reason: "parameter larger than 2 GiB")
            }
            offsets.append(buffer.count)
            lengths.append(length)
            buffer.append(contentsOf: bytes)
        }
        let formats = [Int32](repeating: 1, count: binds.count)
        return buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : base + $0 }
            return values.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }

    static var closedError: PostgresError {
        PostgresError(.connectionClosed, reason: "the connection is closed")
    }
}
