public import Logging
public import ServiceLifecycle
import Synchronization

/// The entry point to a PostgreSQL database: a bounded connection pool whose connections are lent
/// only inside a scope, and whose blocking libpq calls run on dedicated threads.
///
/// Run it in the process's `ServiceGroup` (``run()`` returns on graceful shutdown, after closing
/// the pool), or call ``shutdown()`` yourself when it is not run as a service — tests, jobs. A
/// database outage surfaces as an error within the connect timeout plus the acquire timeout,
/// never as a hang.
public final class PostgresClient: Service, Sendable {
    /// The configuration the client was created with.
    public let configuration: PostgresConfiguration
    let pool: ConnectionPool
    private let executor: LibPQExecutor
    private let pipeline: StatementPipeline
    private let isShutDown = Atomic<Bool>(false)

    /// Creates a client and its libpq threads; no connection is opened until the first use.
    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "mk.postgres")) {
        self.configuration = configuration
        executor = LibPQExecutor(threadCount: max(1, configuration.maximumConnections))
        pool = ConnectionPool(configuration: configuration, executor: executor, logger: logger)
        pipeline = StatementPipeline(
            pool: pool, executor: executor,
            maximumLanes: min(configuration.pipelineConnections, configuration.maximumConnections),
            stall: configuration.pipelineStall)
    }

    /// Waits for graceful shutdown (or cancellation), then closes the pool; see ``shutdown()``.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Refuses new borrowers, waits for lent connections to come back, closes every connection and
    /// stops the libpq threads. Idempotent.
    public func shutdown() async {
        guard isShutDown.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        await pool.close()
        await executor.shutdown()
    }

    /// Lends a connection to `body` for its duration. The connection goes back to the pool only if
    /// it is healthy and idle afterwards; a connection left inside a transaction, cancelled, timed
    /// out or broken is closed.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let lease = try await pool.acquire()
        let connection = PostgresConnection(connection: lease.value, executor: executor)
        defer {
            connection.isInScope = false
            pool.release(lease, reusable: !connection.mustRetire && lease.value.isIdleAndHealthy)
        }
        return try await body(connection)
    }

    /// Runs `body` in a transaction on a lent connection; see
    /// ``PostgresConnection/withTransaction(isolation:_:)`` for how failures are reported.
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.withTransaction(body)
        }
    }

    /// Runs one statement on a lent connection and returns its rows.
    @discardableResult
    public func query(
        _ query: PostgresQuery,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> PostgresRows {
        try await withConnection { connection in try await connection.query(query) }
    }

    /// Runs one statement on a lent connection and returns the number of rows it affected.
    @discardableResult
    public func execute(
        _ query: PostgresQuery,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> Int {
        try await withConnection { connection in try await connection.execute(query) }
    }

    /// Runs one short read-only statement, sent together with concurrent callers' statements in
    /// one round trip and one read-only transaction (libpq pipeline mode, on one pooled connection,
    /// or up to ``PostgresConfiguration/pipelineConnections`` while statements wait on a slow one).
    ///
    /// For the hot paths' point reads. Each statement takes its own snapshot and fails alone; a
    /// write fails with SQLSTATE 25006 and changes nothing, and transaction control (`COMMIT`,
    /// `SET`, …) is refused with ``PostgresError/Code/invalidParameter`` before anything is sent.
    /// Cancelling the caller returns at once, but a statement already sent runs to its end on the
    /// server, bounded by the statement timeout, and statements queued behind it on its connection
    /// wait for it: use ``query(_:isolation:)`` for anything that may run long.
    public func pipelinedQuery(_ query: PostgresQuery) async throws(PostgresError) -> PostgresRows {
        try await pipeline.run(query)
    }

    deinit {
        // Shutdown is the caller's job; this only keeps the threads from outliving a client that
        // was dropped without it.
        if !isShutDown.load(ordering: .acquiring) {
            executor.abandon()
        }
    }
}
