import NIOCore

/// One timer for the earliest of many calls' deadlines on a connection, instead of a timer per
/// call: scheduling and cancelling a timer on the event loop for every call cost more than the
/// rest of a short call's deadline handling. Loop-confined, owned by a connection's handler.
///
/// The timer only ever moves forward, and stays armed when the calls it watches finish: it still
/// fires at the deadline it waits for, and the handler then looks for the calls actually due and
/// watches the earliest deadline left. So a connection busy with calls of similar timeouts
/// schedules about one timer per timeout, not one per call. The handler cancels it when the
/// connection closes.
final class RPCDeadlineTimer {
    private let eventLoop: any EventLoop
    private let fire: () -> Void
    private var armed: (deadline: NIODeadline, scheduled: Scheduled<Void>)?

    /// A timer that runs `fire` on `eventLoop` (the handler's) at the deadlines it is asked to watch.
    init(eventLoop: any EventLoop, fire: @escaping () -> Void) {
        self.eventLoop = eventLoop
        self.fire = fire
    }

    /// Makes sure the timer fires no later than `deadline`.
    func watch(_ deadline: NIODeadline) {
        if let armed {
            guard deadline < armed.deadline else { return }
            armed.scheduled.cancel()
        }
        let scheduled = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.armed = nil
            self.fire()
        }
        self.armed = (deadline, scheduled)
    }

    /// Stops the timer: the connection is gone.
    func cancel() {
        self.armed?.scheduled.cancel()
        self.armed = nil
    }
}

@available(*, unavailable)
extension RPCDeadlineTimer: Sendable {}
