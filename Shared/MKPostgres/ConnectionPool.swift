import Logging
import Synchronization

/// A bounded set of connections: created lazily up to the maximum, lent to one borrower at a time,
/// checked before every loan, and retired instead of returned when they are no longer clean.
///
/// A borrower that finds the pool full waits at most the acquire timeout. Every connection is
/// counted in `open` from the moment its slot is taken (even while it connects) until it is closed,
/// so the maximum holds under any interleaving.
final class ConnectionPool: Sendable {
    /// What a waiting borrower is handed: a free connection, or the right to open one.
    enum Handoff: Sendable {
        case connection(UnsafeTransfer<Connection>)
        case slot
    }

    struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Handoff, any Error>
    }

    struct State {
        var idle: [UnsafeTransfer<Connection>] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var isClosed = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let configuration: PostgresConfiguration
    let executor: LibPQExecutor
    private let logger: Logger
    let state = Mutex(State())

    init(configuration: PostgresConfiguration, executor: LibPQExecutor, logger: Logger) {
        self.configuration = configuration
        self.executor = executor
        self.logger = logger
    }

    /// Lends a usable connection, opening one if there is room; throws `poolTimeout`,
    /// `connectionFailed`, `cancelled` or `clientClosed`.
    func acquire() async throws(PostgresError) -> UnsafeTransfer<Connection> {
        let maximum = configuration.maximumConnections
        let immediate = try state.withLock { state throws(PostgresError) -> Handoff? in
            try Self.takeAvailable(&state, maximum: maximum)
        }
        let handoff: Handoff
        if let immediate {
            handoff = immediate
        } else {
            handoff = try await wait()
        }
        switch handoff {
        case .connection(let connection): return try await checked(connection)
        case .slot: return try await open()
        }
    }

    /// Takes back a connection from a borrower. `reusable` is false for cancelled, timed-out, broken
    /// or non-idle connections; those are closed and their slot goes to a waiter, if any.
    func release(_ connection: UnsafeTransfer<Connection>, reusable: Bool) {
        let waiter: Waiter? = state.withLock { state in
            guard reusable, !state.isClosed else { return nil }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        if let waiter {
            waiter.continuation.resume(returning: .connection(connection))
            return
        }
        if reusable, !isClosed { return }
        logger.debug("retiring a PostgreSQL connection", metadata: ["pid": "\(connection.value.backendPID)"])
        executor.close(connection)
        releaseSlot()
    }

    /// Closes idle connections, fails waiters, and returns once every lent connection is back.
    func close() async {
        let (idle, waiters) = state.withLock { state in
            state.isClosed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            state.open -= state.idle.count
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(.clientClosed, reason: "the client has been shut down"))
        }
        idle.forEach(executor.close)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state in
                if state.open == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
    }

    private var isClosed: Bool { state.withLock { $0.isClosed } }

    /// An idle connection, or a new slot when below the maximum; `nil` when the pool is full.
    static func takeAvailable(_ state: inout State, maximum: Int) throws(PostgresError) -> Handoff? {
        guard !state.isClosed else {
            throw PostgresError(.clientClosed, reason: "the client has been shut down")
        }
        if let connection = state.idle.popLast() {
            return .connection(connection)
        }
        if state.open < maximum {
            state.open += 1
            return .slot
        }
        return nil
    }

    /// Gives a slot back, or passes it to the first waiter, who will open a connection with it.
    func releaseSlot() {
        let (waiter, drained) = state.withLock { state -> (Waiter?, [CheckedContinuation<Void, Never>]) in
            if !state.isClosed, !state.waiters.isEmpty {
                return (state.waiters.removeFirst(), [])
            }
            state.open -= 1
            guard state.isClosed, state.open == 0 else { return (nil, []) }
            defer { state.drainWaiters = [] }
            return (nil, state.drainWaiters)
        }
        waiter?.continuation.resume(returning: .slot)
        drained.forEach { $0.resume() }
    }

    /// Opens a connection in an already counted slot; the slot is released if that fails.
    private func open() async throws(PostgresError) -> UnsafeTransfer<Connection> {
        let configuration = configuration
        do {
            return try await executor.run {
                UnsafeTransfer(try Connection.connect(configuration))
            }
        } catch {
            releaseSlot()
            if let error = error as? PostgresError { throw error }
            throw PostgresError(.cancelled, reason: "the task was cancelled")
        }
    }

    /// Checks an idle connection before lending it; a dead one is closed and replaced in its slot.
    ///
    /// The check runs on the borrower's thread: it never blocks (a zero-timeout `poll`, and
    /// `PQconsumeInput` on libpq's non-blocking socket only when input is waiting), so it is not
    /// worth a round trip through a libpq thread before every statement.
    private func checked(_ connection: UnsafeTransfer<Connection>) async throws(PostgresError)
        -> UnsafeTransfer<Connection>
    {
        if connection.value.checkUsable() { return connection }
        logger.debug("replacing a dead PostgreSQL connection", metadata: ["pid": "\(connection.value.backendPID)"])
        executor.close(connection)
        return try await open()
    }
}
