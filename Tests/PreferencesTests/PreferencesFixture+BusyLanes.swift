import MKPostgres
import MKTestSupport
import Synchronization

extension PreferencesFixture {
    /// Starts the calls `start` returns while each of a batch queue's `lanes` lanes waits for a
    /// held citizen lock, so they queue meanwhile and go together in the next batches.
    /// `blockedCall(subject, n)` is the queue's call for the held citizen; `n` numbers the calls,
    /// so none repeats another.
    func whileBatchLanesAreBusy<T>(
        lanes: Int = 1, blockedCall: @escaping @Sendable (_ subject: String, _ number: Int) async throws -> Void,
        _ start: () -> [Task<T, any Error>]
    ) async throws -> [Task<T, any Error>] {
        let blocker = Self.newSubject()
        let counter = Counter()
        let call: @Sendable () async throws -> Void = { try await blockedCall(blocker, counter.next()) }
        try await call()
        return try await TestDatabase.whileBatchLanesAreBusy(
            database, lock: "SELECT 1 FROM citizen WHERE subject = \(blocker) FOR UPDATE", lanes: lanes,
            blockedCall: call, start)
    }

    /// Numbers the blocked calls.
    final class Counter: Sendable {
        private let value = Mutex(0)

        func next() -> Int {
            value.withLock { value in
                value += 1
                return value
            }
        }
    }
}
