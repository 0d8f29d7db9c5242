internal import MKRPC
internal import Synchronization

/// A counting semaphore for the CPU- and memory-heavy Argon2 computations: at most `permits` run at
/// once; a caller past them waits in FIFO order until a permit frees or its deadline passes
/// (DEADLINE_EXCEEDED). At most `maximumWaiters` callers wait at once; the next one is refused at
/// once (RESOURCE_EXHAUSTED), so a flood costs neither unbounded memory nor unbounded time.
final class HashLimiter: Sendable {
    private enum Entry {
        /// Registered, continuation not installed yet.
        case registering
        /// Cancelled before its continuation was installed.
        case cancelled
        /// Waiting for a permit.
        case waiting(CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        var entries: [UInt64: Entry] = [:]
        var queue: [UInt64] = []
    }

    private enum Race: Sendable {
        case acquired
        case notAcquired
        case timerFired
        case timerStopped
    }

    private enum Admission {
        case granted
        case refused
        case queued
    }

    /// Permits in total.
    let permits: Int
    /// Callers allowed to wait at once.
    let maximumWaiters: Int
    private let state: Mutex<State>

    /// Creates a limiter with `permits` permits (at least 1).
    init(permits: Int, maximumWaiters: Int) {
        self.permits = max(1, permits)
        self.maximumWaiters = max(0, maximumWaiters)
        self.state = Mutex(State(available: max(1, permits)))
    }

    /// Runs `body` holding a permit, waiting for one until `deadline` at the latest.
    func withPermit<Result>(
        until deadline: ContinuousClock.Instant, _ body: () async throws -> Result
    ) async throws -> Result {
        try await acquire(until: deadline)
        defer { release() }
        return try await body()
    }

    /// Takes a permit, waiting until `deadline`.
    func acquire(until deadline: ContinuousClock.Instant) async throws {
        let registered: UInt64? = try state.withLock { state throws(RPCError) -> UInt64? in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            guard state.entries.count < maximumWaiters else {
                throw RPCError(.resourceExhausted, "Too many BOK checks are waiting; try again.", reason: "HASH_BUSY")
            }
            state.nextID += 1
            state.entries[state.nextID] = .registering
            return state.nextID
        }
        guard let id = registered else { return }
        let outcome = await withTaskGroup(of: Race.self) { group in
            group.addTask {
                do {
                    try await self.wait(id)
                    return .acquired
                } catch {
                    return .notAcquired
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .timerFired
                } catch {
                    return .timerStopped
                }
            }
            let first = await group.next() ?? .notAcquired
            group.cancelAll()
            guard first == .timerFired else { return first }
            // The timer cancelled the wait; a permit granted in the same instant is given back.
            while let other = await group.next() {
                if other == .acquired { self.release() }
            }
            return .timerFired
        }
        switch outcome {
        case .acquired:
            return
        case .timerFired:
            throw RPCError(.deadlineExceeded, "No BOK check could start before the deadline; try again.")
        case .notAcquired, .timerStopped:
            throw CancellationError()
        }
    }

    /// Gives a permit back: to the longest waiter, or to the pool.
    func release() {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { state in
            while !state.queue.isEmpty {
                let id = state.queue.removeFirst()
                if case .waiting(let continuation) = state.entries.removeValue(forKey: id) {
                    return continuation
                }
            }
            state.available += 1
            return nil
        }
        next?.resume()
    }

    /// Waits for a permit as entry `id`; throws `CancellationError` when cancelled first.
    private func wait(_ id: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admission: Admission = state.withLock { state in
                    guard case .registering = state.entries[id] else {
                        state.entries[id] = nil
                        return .refused
                    }
                    if state.available > 0 {
                        state.available -= 1
                        state.entries[id] = nil
                        return .granted
                    }
                    state.entries[id] = .waiting(continuation)
                    state.queue.append(id)
                    return .queued
                }
                switch admission {
                case .granted: continuation.resume()
                case .refused: continuation.resume(throwing: CancellationError())
                case .queued: break
                }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Void, any Error>? = state.withLock { state in
                switch state.entries[id] {
                case .registering:
                    state.entries[id] = .cancelled
                    return nil
                case .waiting(let continuation):
                    state.entries[id] = nil
                    state.queue.removeAll { $0 == id }
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            waiting?.resume(throwing: CancellationError())
        }
    }
}
