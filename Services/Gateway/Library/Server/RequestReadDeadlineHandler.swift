internal import Logging
internal import NIOCore
internal import NIOHTTPTypes

/// Closes a connection whose request head does not arrive in full within the head deadline of its
/// first byte, or whose body does not arrive in full within the body deadline of its head. These
/// are *total* deadlines: Hummingbird offers only an idle timeout, which a drip-fed body restarts
/// with every part, so a slow client could hold a connection (and its handler) indefinitely.
///
/// Sits after the HTTP decoder, where it sees request parts; the ``RequestBytesSentinel`` it places
/// first in the pipeline tells it when the bytes of a new request start to arrive, so a keep-alive
/// connection waiting for its next request is left to the idle timeout. Bytes of a pipelined
/// request that arrive together with the end of the previous body start no deadline until the next
/// read; the idle timeout still bounds them.
final class RequestReadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private enum State {
        /// Between requests: no deadline runs.
        case idle
        /// Bytes of a request arrived, its head is not complete by `deadline`.
        case readingHead(deadline: NIODeadline)
        /// The head arrived, the end of the body has not; it must by `deadline`.
        case readingBody(deadline: NIODeadline)

        /// When the request in progress must have arrived; `nil` between requests.
        var deadline: NIODeadline? {
            switch self {
            case .idle: nil
            case .readingHead(let deadline), .readingBody(let deadline): deadline
            }
        }

        var isReadingHead: Bool {
            if case .readingHead = self { true } else { false }
        }
    }

    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let logger: Logger
    private var state = State.idle
    /// The one timer of the connection and when it fires; a request finishing before it does not
    /// cancel it (see ``deadlinePassed()``).
    private var timer: (task: Scheduled<Void>, firesAt: NIODeadline)?
    private var context: ChannelHandlerContext?

    /// A handler closing connections that take longer than `headTimeout` to send a request head
    /// or `bodyTimeout` to send its body.
    init(headTimeout: Duration, bodyTimeout: Duration, logger: Logger) {
        self.headTimeout = TimeAmount(headTimeout)
        self.bodyTimeout = TimeAmount(bodyTimeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            try context.pipeline.syncOperations.addHandler(RequestBytesSentinel(deadlines: self), position: .first)
        } catch {
            // Without the sentinel no head deadline could start: refuse the connection rather than
            // serve it unprotected.
            logger.error("Cannot guard the request head deadline; closing the connection")
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            start(.readingBody(deadline: .now() + bodyTimeout))
        case .body:
            break
        case .end:
            state = .idle
        }
        context.fireChannelRead(data)
    }

    /// Called by the sentinel when bytes arrive: the first bytes of a request start its head deadline.
    func bytesArrived() {
        guard case .idle = state else { return }
        start(.readingHead(deadline: .now() + headTimeout))
    }

    /// Enters `state` and makes sure the timer fires by its deadline.
    ///
    /// Scheduling and cancelling a timer twice a request is a measurable part of a short request, so
    /// the connection keeps one: a deadline later than the running timer leaves it alone (when it
    /// fires, it re-arms for the deadline then running), an earlier one replaces it.
    private func start(_ state: State) {
        self.state = state
        guard let deadline = state.deadline else { return }
        if let timer, timer.firesAt <= deadline { return }
        schedule(at: deadline)
    }

    private func schedule(at deadline: NIODeadline) {
        cancelTimer()
        guard let context else { return }
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            deadlinePassed()
        }
        timer = (task, deadline)
    }

    /// The timer fired: closes the connection when the request in progress is past its deadline,
    /// re-arms for its deadline when it is not (a request that started after the timer did).
    private func deadlinePassed() {
        guard let deadline = state.deadline else { return }
        guard deadline <= .now() else {
            schedule(at: deadline)
            return
        }
        let (what, timeout) = state.isReadingHead ? ("head", headTimeout) : ("body", bodyTimeout)
        logger.notice(
            "Request \(what) not received in time; closing the connection",
            metadata: ["timeout-ms": "\(timeout.nanoseconds / 1_000_000)"])
        context?.close(promise: nil)
    }

    private func cancelTimer() {
        timer?.task.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension RequestReadDeadlineHandler: Sendable {}
