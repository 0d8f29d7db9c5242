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
        /// Bytes of a request arrived, its head is not complete.
        case readingHead
        /// The head arrived, the end of the body has not.
        case readingBody
    }

    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let logger: Logger
    private var state = State.idle
    private var deadline: Scheduled<Void>?
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
        cancelDeadline()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            state = .readingBody
            startDeadline(bodyTimeout, what: "body")
        case .body:
            break
        case .end:
            state = .idle
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    /// Called by the sentinel when bytes arrive: the first bytes of a request start its head deadline.
    func bytesArrived() {
        guard case .idle = state else { return }
        state = .readingHead
        startDeadline(headTimeout, what: "head")
    }

    private func startDeadline(_ timeout: TimeAmount, what: String) {
        cancelDeadline()
        guard let context else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            deadline = nil
            logger.notice(
                "Request \(what) not received in time; closing the connection",
                metadata: ["timeout-ms": "\(timeout.nanoseconds / 1_000_000)"])
            self.context?.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestReadDeadlineHandler: Sendable {}
