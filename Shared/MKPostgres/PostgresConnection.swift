/// A pooled connection, lent to the body of ``PostgresClient/withConnection(isolation:_:)`` or
/// ``PostgresClient/withTransaction(isolation:_:)`` and valid only there.
///
/// It is not `Sendable`, so it cannot be handed to another task; statements on it run one at a
/// time. Using it after its scope ended throws ``PostgresError/Code/connectionOutOfScope``.
/// Cancelling the awaiting task cancels the running statement on the server, throws
/// ``PostgresError/Code/cancelled`` and retires the connection.
public final class PostgresConnection {
    let connection: Connection
    let executor: LibPQExecutor
    /// False once the lending scope has ended.
    var isInScope = true
    /// Set when the connection must not go back to the pool (cancelled, timed out, broken).
    var mustRetire = false

    init(connection: Connection, executor: LibPQExecutor) {
        self.connection = connection
        self.executor = executor
    }

    /// The server process serving this connection, as `pg_backend_pid()` reports it.
    public var backendPID: Int32 { connection.backendPID }

    /// Runs a statement and returns its rows (empty for statements without results).
    @discardableResult
    public func query(
        _ query: PostgresQuery,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(PostgresError) -> PostgresRows {
        try await run { connection throws(PostgresError) in try connection.execute(query) }
    }

    /// Runs a statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(
        _ query: PostgresQuery,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(PostgresError) -> Int {
        try await run { connection throws(PostgresError) in try connection.execute(query) }.affectedRows
    }

    /// Runs statements in order in one round trip (libpq pipeline mode) and returns their rows, one
    /// entry per statement.
    ///
    /// They share one transaction: inside ``PostgresClient/withTransaction(isolation:_:)`` the
    /// caller's, outside an implicit one of their own. So the first statement that fails is thrown
    /// and the ones after it do not run. For statements whose parameters do not depend on each
    /// other's results, such as the same write for a batch of callers.
    @discardableResult
    public func pipeline(
        _ queries: [PostgresQuery],
        isolation: isolated (any Actor)? = #isolation
    ) async throws(PostgresError) -> [PostgresRows] {
        guard !queries.isEmpty else { return [] }
        return try await run { connection throws(PostgresError) in
            var rows: [PostgresRows] = []
            rows.reserveCapacity(queries.count)
            var skipped: PostgresError?
            for answer in connection.executePipeline(queries, sync: .once) {
                switch answer {
                case .success(let result): rows.append(result)
                case .failure(let error) where error.code == .notRun: skipped = skipped ?? error
                case .failure(let error): throw error
                }
            }
            // Only skipped ones failed: the statement that made the server skip them is unknown.
            if let skipped { throw skipped }
            return rows
        }
    }

    /// Runs SQL text with the simple protocol: several statements allowed, no parameters, no
    /// rows returned. Only for migration files and fixed administrative statements — never for
    /// text containing input.
    public func simpleExecute(
        unsafeSQL sql: String,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(PostgresError) {
        _ = try await run { connection throws(PostgresError) in try connection.simpleExecute(sql) }
    }

    /// Runs one blocking libpq call on a libpq thread, wired to task cancellation.
    func run<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ work: @escaping @Sendable (Connection) throws(PostgresError) -> T
    ) async throws(PostgresError) -> T {
        guard isInScope else {
            throw PostgresError(.connectionOutOfScope, reason: "connection used after its scope ended")
        }
        guard !Task.isCancelled else {
            throw PostgresError(.cancelled, reason: "the task was cancelled")
        }
        let token = connection.cancelToken
        let operation = connection.nextOperation()
        let transfer = UnsafeTransfer(connection)
        let executor = executor
        token.prepare(operation)
        do {
            let result = try await withTaskCancellationHandler {
                try await executor.run { () throws -> T in
                    guard token.begin(operation) else {
                        throw PostgresError(.cancelled, reason: "the task was cancelled")
                    }
                    return try work(transfer.value)
                }
            } onCancel: {
                if token.request(operation) {
                    executor.submitCancel { token.send(operation) }
                }
            }
            if token.finish(operation) {
                mustRetire = true
            }
            return result
        } catch {
            if token.finish(operation) {
                mustRetire = true
                throw PostgresError(.cancelled, reason: "the task was cancelled")
            }
            guard let error = error as? PostgresError else {
                // Only CancellationError remains: the call was cancelled while queued, never ran.
                throw PostgresError(.cancelled, reason: "the task was cancelled")
            }
            if [.statementTimeout, .connectionClosed, .cancelled].contains(error.code) {
                mustRetire = true
            }
            throw error
        }
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}
