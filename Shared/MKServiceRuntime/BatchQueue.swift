import Synchronization

/// Runs the work of concurrent callers in batches, so one transaction and a few round trips
/// serve many callers of a hot write path.
///
/// A caller submits its item and waits. A *lane* takes everything queued (at most `batchLimit`
/// items), hands it to `process`, answers each caller, and repeats until the queue is empty. At
/// most `lanes` lanes run, so under load the queue grows while a batch runs and the next batch
/// carries many items; a lone caller waits for nothing but its own batch.
///
/// `process` answers every item of a batch, in order; it must not throw for the batch, so a
/// failure it cannot pin on one item is the answer of each. A caller cancelled while queued is
/// removed and its item never reaches `process`; one cancelled later gets `CancellationError` at
/// once, while its item's work runs to its end.
public final class BatchQueue<Item: Sendable, Answer: Sendable>: Sendable {
    /// Answers every item of a batch, in the batch's order.
    public typealias Process = @Sendable ([Item]) async -> [Result<Answer, any Error>]

    private struct Caller {
        var item: Item
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private struct State {
        /// Callers not taken yet, in arrival order; a cancelled one stays here until a lane skips it.
        var queue: [UInt64] = []
        /// Every caller waiting for an answer, taken or not.
        var callers: [UInt64: Caller] = [:]
        var nextID: UInt64 = 0
        var lanes = 0
    }

    private let batchLimit: Int
    private let maximumLanes: Int
    private let process: Process
    private let state = Mutex(State())

    /// A queue whose batches hold at most `batchLimit` items, run by at most `lanes` lanes at once.
    public init(batchLimit: Int, lanes: Int, process: @escaping Process) {
        self.batchLimit = max(1, batchLimit)
        self.maximumLanes = max(1, lanes)
        self.process = process
    }

    /// Queues `item` and returns its answer once a batch has processed it.
    public func submit(_ item: Item) async throws -> Answer {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Answer, any Error>) in
                let startsLane: Bool? = state.withLock { state in
                    // Checked under the lock: a cancel that ran before the caller was queued is not missed.
                    if Task.isCancelled { return nil }
                    state.callers[id] = Caller(item: item, continuation: continuation)
                    state.queue.append(id)
                    guard state.lanes < maximumLanes else { return false }
                    state.lanes += 1
                    return true
                }
                switch startsLane {
                case nil: continuation.resume(throwing: CancellationError())
                case true?: startLane()
                case false?: break
                }
            }
        } onCancel: {
            let caller = state.withLock { state in state.callers.removeValue(forKey: id) }
            caller?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Answers each of `items` by running `body` on it alone, in order: how a batch that failed as
    /// a whole answers its items, so one that fails fails alone.
    public static func answerEach(
        _ items: [Item], _ body: (Item) async throws -> Answer
    ) async -> [Result<Answer, any Error>] {
        var answers: [Result<Answer, any Error>] = []
        answers.reserveCapacity(items.count)
        for item in items {
            do {
                answers.append(.success(try await body(item)))
            } catch {
                answers.append(.failure(error))
            }
        }
        return answers
    }

    /// Processes batches until the queue is empty.
    private func startLane() {
        Task {
            while let batch = nextBatch() {
                let answers = await process(batch.map(\.item))
                let continuations = state.withLock { state in
                    batch.map { state.callers.removeValue(forKey: $0.id)?.continuation }
                }
                for (index, continuation) in continuations.enumerated() {
                    guard index < answers.count else {
                        continuation?.resume(throwing: BatchQueueError.unanswered)
                        continue
                    }
                    continuation?.resume(with: answers[index])
                }
            }
        }
    }

    /// The next items to process, or `nil` after ending the lane when nothing is queued; both
    /// under one lock, so a caller queued meanwhile either is taken or starts a lane of its own.
    private func nextBatch() -> [(id: UInt64, item: Item)]? {
        state.withLock { state in
            var batch: [(id: UInt64, item: Item)] = []
            var taken = 0
            for id in state.queue {
                taken += 1
                if let caller = state.callers[id] {
                    batch.append((id, caller.item))
                    if batch.count == batchLimit { break }
                }
            }
            state.queue.removeFirst(taken)
            if batch.isEmpty {
                state.lanes -= 1
                return nil
            }
            return batch
        }
    }
}

/// A batch's `process` returned fewer answers than it was given items.
public enum BatchQueueError: Error, Sendable {
    /// The item got no answer.
    case unanswered
}
