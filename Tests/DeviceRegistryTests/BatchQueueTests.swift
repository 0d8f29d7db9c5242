import MKServiceRuntime
import MKTestSupport
import Synchronization
import Testing

/// `BatchQueue`, which the registry's sign-in recording runs on: callers arriving while a batch
/// runs go together in the next one, each gets its own answer.
@Suite("Batch queue")
struct BatchQueueTests {
    @Test func callersQueuedDuringABatchGoTogetherAndEachGetsItsAnswer() async throws {
        let gate = Gate(open: false)
        let batches = Mutex<[[Int]]>([])
        let queue = BatchQueue<Int, Int>(batchLimit: 64, lanes: 1) { items in
            batches.withLock { $0.append(items) }
            if items == [0] { await gate.pass() }
            return items.map { $0 % 7 == 3 ? .failure(Refused(item: $0)) : .success($0 * 2) }
        }
        let first = Task { try await queue.submit(0) }
        while batches.withLock({ $0.isEmpty }) { await Task.yield() }
        let rest = (1...20).map { item in Task { (item, await Result { try await queue.submit(item) }) } }
        try await Task.sleep(for: .milliseconds(100))
        gate.open()
        #expect(try await first.value == 0)
        for task in rest {
            let (item, answer) = await task.value
            if item % 7 == 3 {
                #expect(throws: Refused(item: item)) { try answer.get() }
            } else {
                #expect(try answer.get() == item * 2)
            }
        }
        let sizes = batches.withLock { $0.map(\.count) }
        #expect(sizes.reduce(0, +) == 21)
        // The 20 callers that came while the first batch ran needed far fewer batches than callers.
        #expect(sizes.count <= 4)
    }

    @Test func aCallerCancelledWhileQueuedIsNeverProcessed() async throws {
        let gate = Gate(open: false)
        let processed = Mutex<[Int]>([])
        let queue = BatchQueue<Int, Int>(batchLimit: 64, lanes: 1) { items in
            processed.withLock { $0 += items }
            if items == [0] { await gate.pass() }
            return items.map { .success($0) }
        }
        let first = Task { try await queue.submit(0) }
        while processed.withLock({ $0.isEmpty }) { await Task.yield() }
        let cancelled = Task { try await queue.submit(1) }
        let kept = Task { try await queue.submit(2) }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        gate.open()
        #expect(try await first.value == 0)
        #expect(try await kept.value == 2)
        #expect(processed.withLock { $0 } == [0, 2])
    }

    @Test func anItemLeftWithoutAnAnswerFails() async throws {
        let queue = BatchQueue<Int, Int>(batchLimit: 64, lanes: 2) { _ in [] }
        await #expect(throws: BatchQueueError.self) { try await queue.submit(1) }
    }

    struct Refused: Error, Equatable {
        var item: Int
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing call.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
