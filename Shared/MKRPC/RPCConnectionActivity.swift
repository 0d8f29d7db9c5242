import Synchronization

/// How many calls are in flight on one connection, shared between the side that runs the calls and
/// the connection's ``RPCConnectionTimeoutHandler`` (which never closes a connection with calls in
/// flight for being idle).
final class RPCConnectionActivity: Sendable {
    private let callsInFlight = Atomic<Int>(0)

    init() {}

    /// A call started on the connection.
    func callStarted() {
        self.callsInFlight.wrappingAdd(1, ordering: .relaxed)
    }

    /// A call on the connection finished.
    func callFinished() {
        self.callsInFlight.wrappingSubtract(1, ordering: .relaxed)
    }

    /// True while at least one call runs.
    var hasCallsInFlight: Bool {
        self.callsInFlight.load(ordering: .relaxed) > 0
    }
}
