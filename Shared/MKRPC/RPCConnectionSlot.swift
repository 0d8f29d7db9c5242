import NIOCore
import Synchronization

/// One of a pool's connections, through its life: not connected, connecting (callers wait on the
/// attempt), ready, backing off after failed attempts, shut down. Connects lazily: a call that
/// finds the slot idle starts the attempt.
final class RPCConnectionSlot: Sendable {
    /// What a caller does with the slot.
    enum Lease {
        /// Use this connection.
        case ready(RPCClientConnection)
        /// Wait for the attempt in progress.
        case wait(EventLoopFuture<RPCClientConnection>)
        /// Start an attempt and complete this promise with it.
        case connect(EventLoopPromise<RPCClientConnection>)
        /// Attempts failed recently; do not wait here.
        case backingOff
        /// The client is shut down.
        case shutDown
    }

    private enum State {
        case idle(failures: Int, retryAt: ContinuousClock.Instant?)
        case connecting(EventLoopFuture<RPCClientConnection>, failures: Int)
        case ready(RPCClientConnection)
        case shutDown
    }

    /// The loop the slot's connections run on.
    let eventLoop: any EventLoop
    private let state = Mutex(State.idle(failures: 0, retryAt: nil))

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Decides what a caller does with the slot now.
    func lease(now: ContinuousClock.Instant = .now) -> Lease {
        self.state.withLock { state in
            switch state {
            case .ready(let connection) where connection.channel.isActive:
                return .ready(connection)
            case .ready:
                // Closed, and the close callback has not run yet: reconnect at once.
                let promise = self.eventLoop.makePromise(of: RPCClientConnection.self)
                state = .connecting(promise.futureResult, failures: 0)
                return .connect(promise)
            case .connecting(let future, _):
                return .wait(future)
            case .idle(let failures, let retryAt):
                if let retryAt, now < retryAt {
                    return .backingOff
                }
                let promise = self.eventLoop.makePromise(of: RPCClientConnection.self)
                state = .connecting(promise.futureResult, failures: failures)
                return .connect(promise)
            case .shutDown:
                return .shutDown
            }
        }
    }

    /// The slot's connection when it is open; changes nothing otherwise.
    var openConnection: RPCClientConnection? {
        self.state.withLock { state in
            guard case .ready(let connection) = state, connection.channel.isActive else { return nil }
            return connection
        }
    }

    /// Records a new connection; `false` when the slot was shut down meanwhile (close it).
    func connected(_ connection: RPCClientConnection) -> Bool {
        self.state.withLock { state in
            guard case .connecting = state else { return false }
            state = .ready(connection)
            return true
        }
    }

    /// Records a failed attempt and returns how long the slot now backs off.
    func connectFailed(backoff: RPCBackoff, now: ContinuousClock.Instant = .now) -> Duration? {
        self.state.withLock { state in
            guard case .connecting(_, let failures) = state else { return nil }
            let delay = backoff.delay(afterFailures: failures + 1)
            state = .idle(failures: failures + 1, retryAt: now.advanced(by: delay))
            return delay
        }
    }

    /// Records that `channel` closed; the next call reconnects.
    func closed(_ channel: any Channel) {
        self.state.withLock { state in
            if case .ready(let current) = state, current.channel === channel {
                state = .idle(failures: 0, retryAt: nil)
            }
        }
    }

    /// Shuts the slot down and returns its connection, if any, for closing.
    func shutDown() -> (any Channel)? {
        self.state.withLock { state in
            defer { state = .shutDown }
            if case .ready(let connection) = state { return connection.channel }
            return nil
        }
    }
}
