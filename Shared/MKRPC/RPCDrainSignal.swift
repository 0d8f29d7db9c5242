import Synchronization

/// Tells a connection's handler, from any thread and without waiting for its event loop, that the
/// server drains: a call arriving after ``request()`` returned is refused even if the loop has not
/// yet run the handler's own drain step.
final class RPCDrainSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    init() {}

    /// Marks the connection as draining. Idempotent.
    func request() {
        self.requested.store(true, ordering: .sequentiallyConsistent)
    }

    /// True once ``request()`` was called.
    var isRequested: Bool {
        self.requested.load(ordering: .sequentiallyConsistent)
    }
}
