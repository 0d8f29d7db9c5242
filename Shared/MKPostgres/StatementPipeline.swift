import Synchronization

/// Sends the read-only statements of concurrent ``PostgresClient/pipelinedQuery(_:)`` callers
/// together.
///
/// A caller queues its statement and waits. A *lane* borrows one pooled connection and, on its
/// libpq thread, sends everything queued as one pipeline in one read-only transaction
/// (``Connection/executePipeline(_:sync:answer:)`` with ``PipelineSync/onceReadOnly``), answers
/// each caller as soon as its rows are read, and repeats until the queue is empty; then it gives
/// the connection back. A failed statement fails alone: the statements after it, which the server
/// skipped, go first into the next pipeline. A write fails (the transaction is read-only), and
/// transaction control is refused before anything is sent.
/// One lane runs while it keeps up, so under load the queue grows while it waits for its answers
/// and the next pipeline carries many statements for one round trip and one wake-up of each
/// thread involved. A caller queued once every running lane has waited `stall` on its pipeline
/// starts another lane, up to `maximumLanes`: a slow statement holds the ones behind it that long.
///
/// A caller cancelled while queued is removed and its statement never runs. One cancelled after
/// its statement was sent gets ``PostgresError/Code/cancelled`` at once, but the statement runs to
/// its end on the server (bounded by the statement timeout): a cancel request cannot name one
/// statement of a pipeline.
final class StatementPipeline: Sendable {
    /// Statements sent in one pipeline at most.
    static let batchLimit = 64

    private struct Caller {
        var query: PostgresQuery
        var continuation: CheckedContinuation<PostgresRows, any Error>
    }

    private struct State {
        /// Callers not sent yet, in arrival order; a cancelled one stays here until a lane skips it.
        var queue: [UInt64] = []
        /// Every caller waiting for an answer, sent or not.
        var callers: [UInt64: Caller] = [:]
        var nextID: UInt64 = 0
        var lanes = 0
        /// When a lane last took a batch: once that is `stall` ago, every running lane is waiting on a
        /// pipeline at least that old.
        var lastBatchTaken = ContinuousClock.Instant.now
    }

    private let pool: ConnectionPool
    private let executor: LibPQExecutor
    private let maximumLanes: Int
    private let stall: Duration
    private let state = Mutex(State())

    init(pool: ConnectionPool, executor: LibPQExecutor, maximumLanes: Int, stall: Duration) {
        self.pool = pool
        self.executor = executor
        self.maximumLanes = max(1, maximumLanes)
        self.stall = stall
    }

    /// Queues `query` and returns its rows once a lane has run it.
    func run(_ query: PostgresQuery) async throws(PostgresError) -> PostgresRows {
        let query = try query.checked()
        if Self.controlsTheTransaction(query.sql) {
            throw PostgresError(.invalidParameter, reason: "a pipelined statement cannot control the transaction")
        }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation {
                    (continuation: CheckedContinuation<PostgresRows, any Error>) in
                    let startsLane: Bool? = state.withLock { state in
                        // Checked under the lock: a cancel that ran before the caller was queued is not missed.
                        if Task.isCancelled { return nil }
                        state.callers[id] = Caller(query: query, continuation: continuation)
                        state.queue.append(id)
                        guard state.lanes == 0
                            || (state.lanes < maximumLanes && state.lastBatchTaken.duration(to: .now) >= stall)
                        else { return false }
                        state.lanes += 1
                        return true
                    }
                    switch startsLane {
                    case nil: continuation.resume(throwing: Self.cancelledError)
                    case true?: startLane()
                    case false?: break
                    }
                }
            } onCancel: {
                let caller = state.withLock { state in state.callers.removeValue(forKey: id) }
                caller?.continuation.resume(throwing: Self.cancelledError)
            }
        } catch let error as PostgresError {
            throw error
        } catch {
            throw Self.cancelledError
        }
    }

    /// Borrows a connection and drains the queue on its libpq thread.
    private func startLane() {
        Task {
            do {
                let lease = try await pool.acquire()
                do {
                    try await executor.run { self.drain(lease) }
                } catch {
                    pool.release(lease, reusable: true)
                    throw error
                }
            } catch {
                endLane(failingQueuedWith: error as? PostgresError ?? Self.cancelledError)
            }
        }
    }

    /// Sends what is queued, answers it, and repeats until the queue is empty or the connection
    /// fails; then gives the connection back and ends the lane. Runs on a libpq thread.
    private func drain(_ lease: UnsafeTransfer<Connection>) {
        let connection = lease.value
        while let batch = nextBatch() {
            // Each caller is answered as soon as its rows are read, while the server runs the rest.
            // A statement the server skipped after a failed one goes first into the next batch.
            var skipped: [UInt64] = []
            connection.executePipeline(batch.map(\.query), sync: .onceReadOnly) { index, answer in
                if case .failure(let error) = answer, error.code == .notRun {
                    skipped.append(batch[index].id)
                    return
                }
                let caller = state.withLock { state in state.callers.removeValue(forKey: batch[index].id) }
                caller?.continuation.resume(with: answer.mapError { $0 })
            }
            if !skipped.isEmpty {
                state.withLock { state in state.queue.insert(contentsOf: skipped, at: 0) }
            }
            guard connection.isIdleAndHealthy else {
                pool.release(lease, reusable: false)
                endLane(failingQueuedWith: nil)
                return
            }
        }
        pool.release(lease, reusable: true)
    }

    /// The next statements to send, or `nil` after ending the lane when nothing is queued; both
    /// under one lock, so a caller queued meanwhile either is taken or starts a lane of its own.
    private func nextBatch() -> [(id: UInt64, query: PostgresQuery)]? {
        state.withLock { state in
            var batch: [(id: UInt64, query: PostgresQuery)] = []
            var taken = 0
            for id in state.queue {
                taken += 1
                if let caller = state.callers[id] {
                    batch.append((id, caller.query))
                    if batch.count == Self.batchLimit { break }
                }
            }
            state.queue.removeFirst(taken)
            if batch.isEmpty {
                state.lanes -= 1
                return nil
            }
            state.lastBatchTaken = .now
            return batch
        }
    }

    /// Ends a lane that stopped early (no connection, or a failed one). When it was the last lane,
    /// queued callers fail with `error`, or, without one, a new lane starts for them.
    private func endLane(failingQueuedWith error: PostgresError?) {
        let (failed, restarts): ([Caller], Bool) = state.withLock { state in
            guard state.lanes == 1, !state.queue.isEmpty else {
                state.lanes -= 1
                return ([], false)
            }
            guard error != nil else { return ([], true) }
            state.lanes = 0
            let failed = state.queue.compactMap { state.callers.removeValue(forKey: $0) }
            state.queue = []
            return (failed, false)
        }
        if let error {
            for caller in failed { caller.continuation.resume(throwing: error) }
        }
        if restarts { startLane() }
    }

    /// Whether `sql` starts with a command that would end or change the pipeline's read-only
    /// transaction (`COMMIT`, `SET TRANSACTION READ WRITE`, …).
    private static func controlsTheTransaction(_ sql: String) -> Bool {
        let firstWord = sql.utf8.drop { $0 == UInt8(ascii: " ") || (9...13).contains($0) }
            .prefix { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) }
        return transactionCommands.contains(String(decoding: firstWord, as: UTF8.self).uppercased())
    }

    private static let transactionCommands: Set<String> = [
        "ABORT", "BEGIN", "COMMIT", "END", "RELEASE", "ROLLBACK", "SAVEPOINT", "SET", "START",
    ]

    private static var cancelledError: PostgresError {
        PostgresError(.cancelled, reason: "the task was cancelled")
    }
}
