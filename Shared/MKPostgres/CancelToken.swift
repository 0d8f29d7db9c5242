import CLibPQ
import Synchronization

/// Cancels the statement a connection is running, from another thread, without ever cancelling a
/// later statement by mistake.
///
/// Each blocking call gets an operation number. A cancel request names that number; it is sent
/// (`PQcancel`) only while that very operation runs, and a request that comes before the call has
/// started stops it from starting. The `PGcancel` object is freed only once no `PQcancel` is using
/// it, because freeing it is what closing the connection does and the two can race.
final class CancelToken: Sendable {
    private struct State {
        var cancel: UnsafeTransfer<OpaquePointer>?
        var operation: UInt64 = 0
        var running = false
        var requested = false
        var sending = 0
        var freePending = false
    }

    private let state: Mutex<State>

    /// Takes ownership of a `PGcancel` from `PQgetCancel`.
    init(_ cancel: OpaquePointer) {
        state = Mutex(State(cancel: UnsafeTransfer(cancel)))
    }

    /// Announces `operation` before it is submitted to a libpq thread.
    func prepare(_ operation: UInt64) {
        state.withLock { state in
            state.operation = operation
            state.running = false
            state.requested = false
        }
    }

    /// Called on the libpq thread just before the blocking call; `false` means it was cancelled
    /// while queued and must not start.
    func begin(_ operation: UInt64) -> Bool {
        state.withLock { state in
            guard state.operation == operation, !state.requested else { return false }
            state.running = true
            return true
        }
    }

    /// Records a cancel request; returns whether a `PQcancel` must be sent (the operation is running).
    func request(_ operation: UInt64) -> Bool {
        state.withLock { state in
            guard state.operation == operation else { return false }
            state.requested = true
            return state.running
        }
    }

    /// Sends the cancel request to the server if `operation` is still the running one. Blocks
    /// (it opens a short connection to the server), so it runs on the cancel thread.
    func send(_ operation: UInt64) {
        let cancel: UnsafeTransfer<OpaquePointer>? = state.withLock { state in
            guard state.operation == operation, state.running, let cancel = state.cancel else { return nil }
            state.sending += 1
            return cancel
        }
        guard let cancel else { return }
        var message = [CChar](repeating: 0, count: 256)
        // The outcome does not matter: the caller already treats the connection as cancelled and
        // will discard it, whether or not the server got the request.
        _ = PQcancel(cancel.value, &message, Int32(message.count))
        state.withLock { state in
            state.sending -= 1
            if state.sending == 0, state.freePending { Self.free(&state) }
        }
    }

    /// Ends `operation`; returns whether a cancel was requested for it (the connection must then
    /// not be reused, since a late cancel could hit its next statement).
    func finish(_ operation: UInt64) -> Bool {
        state.withLock { state in
            guard state.operation == operation else { return false }
            state.running = false
            state.operation = 0
            defer { state.requested = false }
            return state.requested
        }
    }

    /// Frees the `PGcancel`, now or when the `PQcancel` in flight returns.
    func invalidate() {
        state.withLock { state in
            if state.sending > 0 {
                state.freePending = true
            } else {
                Self.free(&state)
            }
        }
    }

    private static func free(_ state: inout State) {
        if let cancel = state.cancel {
            PQfreeCancel(cancel.value)
        }
        state.cancel = nil
        state.freePending = false
    }
}
