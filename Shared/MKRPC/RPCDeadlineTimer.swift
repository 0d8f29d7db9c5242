import NIOCore

/// One timer for the earliest of many calls' deadlines on a connection, instead of a timer per
/// call: scheduling and cancelling a timer on the event loop for every call cost more than the
/// rest of a short call's deadline handling. Owned by a loop-confined handler.
///
/// The timer only ever moves forward, and stays armed when the calls it watches finish: it still
/// fires at the deadline it waits for, and the handler then looks for the calls actually due and
/// watches the earliest deadline left. So a connection busy with calls of similar timeouts
/// schedules about one timer per timeout, not one per call. The handler cancels it when the
/// connection closes.
struct RPCDeadlineTimer {
    private var armed: (deadline: NIODeadline, scheduled: Scheduled<Void>)?

    /// Makes sure `fire` runs on `eventLoop` (the caller's) no later than `deadline`. Once it
    /// runs, the timer is disarmed: ``firing()`` must be its first step.
    mutating func watch(_ deadline: NIODeadline, on eventLoop: any EventLoop, fire: @escaping () -> Void) {
        if let armed {
            guard deadline < armed.deadline else { return }
            armed.scheduled.cancel()
        }
        self.armed = (deadline, eventLoop.assumeIsolated().scheduleTask(deadline: deadline, fire))
    }

    /// The timer fired: nothing is scheduled any more.
    mutating func firing() {
        self.armed = nil
    }

    /// Stops the timer: the connection is gone.
    mutating func cancel() {
        self.armed?.scheduled.cancel()
        self.armed = nil
    }
}
