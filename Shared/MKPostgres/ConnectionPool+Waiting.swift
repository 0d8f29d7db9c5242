import Synchronization

extension ConnectionPool {
    /// Waits for a connection or slot, at most the acquire timeout.
    ///
    /// Two child tasks race: the waiter and a timer. Whatever the waiter was handed after losing
    /// the race is given back, so a timeout or cancellation never leaks a connection or a slot.
    func wait() async throws(PostgresError) -> Handoff {
        let timeout = configuration.acquireTimeout
        let outcome: Result<Handoff?, any Error> = await withTaskGroup(of: Result<Handoff?, any Error>.self) { group in
            group.addTask {
                do {
                    return .success(try await self.enqueue())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .success(nil)
            }
            let first = await group.next()!
            group.cancelAll()
            if case .success(nil) = first {
                // The timer won (or the task was cancelled); take back what the waiter may have got.
                while let late = await group.next() {
                    if case .success(let handoff?) = late { giveBack(handoff) }
                }
            }
            return first
        }
        switch outcome {
        case .success(let handoff?):
            return handoff
        case .success(nil):
            if Task.isCancelled { throw PostgresError(.cancelled, reason: "the task was cancelled") }
            throw PostgresError(.poolTimeout, reason: "no connection became free within the acquire timeout")
        case .failure(let error as PostgresError):
            throw error
        case .failure:
            throw PostgresError(.cancelled, reason: "the task was cancelled")
        }
    }

    private func giveBack(_ handoff: Handoff) {
        switch handoff {
        case .connection(let connection): release(connection, reusable: true)
        case .slot: releaseSlot()
        }
    }

    /// Registers as a waiter, unless a connection or slot is free by now. Cancellation removes the
    /// waiter; a waiter already handed something keeps it and the caller gives it back.
    private func enqueue() async throws -> Handoff {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let maximum = configuration.maximumConnections
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Handoff, any Error>) in
                let immediate: Result<Handoff, PostgresError>? = state.withLock { state in
                    // Checked under the lock, so a cancel that ran before registration is not missed.
                    if Task.isCancelled {
                        return .failure(PostgresError(.cancelled, reason: "the task was cancelled"))
                    }
                    do throws(PostgresError) {
                        if let handoff = try Self.takeAvailable(&state, maximum: maximum) {
                            return .success(handoff)
                        }
                    } catch {
                        return .failure(error)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
