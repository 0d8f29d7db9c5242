import Synchronization

/// Lets the reader of a server connection cancel one running call (a CANCEL frame arrived) without
/// holding a handle to its task: the call's runner races its handler against
/// ``waitForCancellation()``.
final class RPCCallCancellation: Sendable {
    private enum State {
        case pending
        case waiting(CheckedContinuation<Bool, Never>)
        case cancelled
        case finished
    }

    private let state = Mutex<State>(.pending)

    init() {}

    /// Cancels the call. Idempotent.
    func cancel() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
            switch state {
            case .pending:
                state = .cancelled
                return nil
            case .waiting(let continuation):
                state = .cancelled
                return continuation
            case .cancelled, .finished:
                return nil
            }
        }
        waiter?.resume(returning: true)
    }

    /// True once ``cancel()`` was called.
    var isCancelled: Bool {
        self.state.withLock { state in
            if case .cancelled = state { return true }
            return false
        }
    }

    /// Returns `true` when ``cancel()`` is called, `false` when the waiting task is cancelled first.
    /// One waiter at most.
    func waitForCancellation() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = self.state.withLock { state -> Bool? in
                    switch state {
                    case .pending:
                        state = .waiting(continuation)
                        return nil
                    case .cancelled:
                        return true
                    case .finished, .waiting:
                        return false
                    }
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                switch state {
                case .pending:
                    state = .finished
                    return nil
                case .waiting(let continuation):
                    state = .finished
                    return continuation
                case .cancelled, .finished:
                    return nil
                }
            }
            waiter?.resume(returning: false)
        }
    }
}
