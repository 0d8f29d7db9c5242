import NIOCore
import Synchronization

/// Responses of calls whose handlers finished off the connection's event loop, waiting to be
/// written there. Handlers finishing close together share one hop to the loop and one flush:
/// only the completion that finds the outbox idle asks the loop to drain it.
final class RPCServerOutbox: Sendable {
    /// One finished call.
    struct Completion: Sendable {
        /// The call.
        var callID: UInt64
        /// The packed response frame; `nil` when not even an error could be encoded.
        var frame: ByteBuffer?
        /// The status the frame carries.
        var code: RPCStatusCode
    }

    private struct State {
        var completions: [Completion] = []
        var drainScheduled = false
    }

    private let state = Mutex(State())

    init() {}

    /// Queues `completion`; returns `true` when the caller must schedule a drain on the loop (no
    /// drain was pending).
    func post(_ completion: Completion) -> Bool {
        self.state.withLock { state in
            state.completions.append(completion)
            defer { state.drainScheduled = true }
            return !state.drainScheduled
        }
    }

    /// Takes every queued completion; a completion posted after this schedules a new drain.
    func take() -> [Completion] {
        self.state.withLock { state in
            state.drainScheduled = false
            var taken: [Completion] = []
            swap(&taken, &state.completions)
            return taken
        }
    }
}
