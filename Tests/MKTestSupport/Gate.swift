import Synchronization

/// A gate a test holds work at: ``pass(whenHeld:)`` returns at once while the gate is open and
/// otherwise waits until the test opens it.
public final class Gate: Sendable {
    private let state: Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>

    /// A gate that starts open or closed.
    public init(open: Bool) {
        state = Mutex((open, []))
    }

    /// Holds every later ``pass(whenHeld:)`` until ``open()``.
    public func close() {
        state.withLock { $0.open = false }
    }

    /// Lets everyone waiting through, and everyone after them until the next ``close()``.
    public func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once the gate is open; `whenHeld` runs when the caller has to wait.
    public func pass(whenHeld: () -> Void = {}) async {
        await withCheckedContinuation { continuation in
            let held = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return !state.open
            }
            if held { whenHeld() } else { continuation.resume() }
        }
    }
}
