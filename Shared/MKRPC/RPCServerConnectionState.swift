import NIOCore
import Synchronization

/// What a server knows about one connection beyond its channel: the calls running on it (so a
/// CANCEL frame can reach them) and whether it drains.
///
/// While draining, a connection takes no new calls and closes as soon as its last call has
/// answered.
final class RPCServerConnectionState: Sendable {
    private struct State {
        var calls: [UInt64: RPCCallCancellation] = [:]
        var draining = false
    }

    /// The connection's channel.
    let channel: any Channel
    /// Shared with the connection's timeout handler.
    let activity: RPCConnectionActivity
    private let state = Mutex(State())

    init(channel: any Channel, activity: RPCConnectionActivity) {
        self.channel = channel
        self.activity = activity
    }

    /// True when a call with `callID` runs on the connection.
    func hasCall(_ callID: UInt64) -> Bool {
        self.state.withLock { $0.calls[callID] != nil }
    }

    /// Records a running call.
    func callStarted(_ callID: UInt64, cancellation: RPCCallCancellation) {
        self.state.withLock { $0.calls[callID] = cancellation }
        self.activity.callStarted()
    }

    /// Cancels the running call with `callID`, if any (a CANCEL for a finished call is normal).
    func cancelCall(_ callID: UInt64) {
        self.state.withLock { $0.calls[callID] }?.cancel()
    }

    /// Records that a call finished; closes the connection when it drains and this was the last.
    func callFinished(_ callID: UInt64) {
        let close = self.state.withLock { state in
            state.calls[callID] = nil
            return state.draining && state.calls.isEmpty
        }
        self.activity.callFinished()
        if close {
            // Runs after this call's response was handed to the channel, and channel operations
            // from one thread reach the event loop in order, so the response is written first.
            self.channel.close(promise: nil)
        }
    }

    /// Starts draining; closes the connection at once when no call runs.
    func startDraining() {
        let close = self.state.withLock { state in
            state.draining = true
            return state.calls.isEmpty
        }
        if close {
            self.channel.close(promise: nil)
        }
    }

    /// True once ``startDraining()`` was called.
    var isDraining: Bool {
        self.state.withLock { $0.draining }
    }
}
