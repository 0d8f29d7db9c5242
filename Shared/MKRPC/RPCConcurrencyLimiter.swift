import Synchronization

/// Admits at most `maximum` calls at once across a whole server; a call past the limit is refused
/// at once (RESOURCE_EXHAUSTED) rather than queued, so an overloaded replica sheds load quickly
/// and the caller can go elsewhere.
final class RPCConcurrencyLimiter: Sendable {
    /// The most calls admitted at once.
    let maximum: Int
    private let current = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a slot; `false` when all are taken.
    func tryAcquire() -> Bool {
        var observed = self.current.load(ordering: .relaxed)
        while observed < self.maximum {
            let (exchanged, original) = self.current.compareExchange(
                expected: observed,
                desired: observed + 1,
                ordering: .relaxed
            )
            if exchanged { return true }
            observed = original
        }
        return false
    }

    /// Gives back a slot taken with ``tryAcquire()``.
    func release() {
        self.current.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Calls admitted now.
    var inUse: Int {
        self.current.load(ordering: .relaxed)
    }
}
