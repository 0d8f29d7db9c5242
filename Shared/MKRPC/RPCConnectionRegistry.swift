import Synchronization

/// The server's open connections: enforces the connection limit, fans a drain out to every
/// connection, and lets the shutdown wait until all have closed.
final class RPCConnectionRegistry: Sendable {
    private struct State {
        var connections: [Int: RPCServerConnectionState] = [:]
        var nextID = 0
        var draining = false
        var emptyWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID = 0
    }

    /// The most connections open at once.
    let maximum: Int
    private let state = Mutex(State())

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Registers a new connection and returns its id, or `nil` when the server is full. A
    /// connection arriving while the server drains is admitted already draining.
    func admit(_ connection: RPCServerConnectionState) -> Int? {
        let admitted = self.state.withLock { state -> (id: Int, draining: Bool)? in
            guard state.connections.count < self.maximum else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.connections[id] = connection
            return (id, state.draining)
        }
        if let admitted, admitted.draining {
            connection.startDraining()
        }
        return admitted?.id
    }

    /// Forgets a closed connection.
    func remove(_ id: Int) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.connections[id] = nil
            guard state.connections.isEmpty else { return [] }
            defer { state.emptyWaiters = [:] }
            return Array(state.emptyWaiters.values)
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Drains every connection, now and arriving later.
    func startDraining() {
        let connections = self.state.withLock { state in
            state.draining = true
            return Array(state.connections.values)
        }
        for connection in connections {
            connection.startDraining()
        }
    }

    /// Open connections.
    var count: Int {
        self.state.withLock { $0.connections.count }
    }

    /// Returns when no connection is open, or when the waiting task is cancelled.
    func waitUntilEmpty() async {
        let waiterID = self.state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    if state.connections.isEmpty || Task.isCancelled { return true }
                    state.emptyWaiters[waiterID] = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            self.state.withLock { $0.emptyWaiters.removeValue(forKey: waiterID) }?.resume()
        }
    }
}
