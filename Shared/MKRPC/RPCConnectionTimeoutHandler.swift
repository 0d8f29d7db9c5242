import Logging
import NIOCore

/// Closes a connection that stalls: a frame that started must complete within `frameTimeout`
/// (a peer dripping a frame would otherwise hold its buffer forever), and a connection with no
/// call in flight and no traffic for `idleTimeout` is closed.
///
/// Sits right after the frame decoder, whose ``RPCFrameDecoder/Progress`` events it consumes.
/// Loop-confined like every channel handler.
final class RPCConnectionTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let frameTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let activity: RPCConnectionActivity
    private let logger: Logger
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?
    private var frameDeadline: Scheduled<Void>?

    init(frameTimeout: TimeAmount, idleTimeout: TimeAmount, activity: RPCConnectionActivity, logger: Logger) {
        self.frameTimeout = frameTimeout
        self.idleTimeout = idleTimeout
        self.activity = activity
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.scheduleIdleCheck(context: context, at: .now() + self.idleTimeout)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimers()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.lastActivity = .now()
        if self.idleCheck == nil {
            self.scheduleIdleCheck(context: context, at: self.lastActivity + self.idleTimeout)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimers()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.lastActivity = .now()
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived, possibly only part of a frame: that is traffic too.
        self.lastActivity = .now()
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.lastActivity = .now()
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event as? RPCFrameDecoder.Progress {
        case .frameStarted:
            self.frameDeadline?.cancel()
            self.frameDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: self.frameTimeout) {
                self.logger.notice(
                    "Closing the connection: a frame did not complete in time",
                    metadata: ["rpc-peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"]
                )
                context.close(promise: nil)
            }
        case .frameCompleted:
            self.frameDeadline?.cancel()
            self.frameDeadline = nil
        case nil:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        self.idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.checkIdle(context: context)
        }
    }

    private func checkIdle(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        if self.activity.hasCallsInFlight || self.frameDeadline != nil {
            // A call may legitimately run longer than the idle time without traffic.
            self.lastActivity = now
        }
        let idleUntil = self.lastActivity + self.idleTimeout
        if idleUntil <= now {
            self.logger.debug(
                "Closing an idle connection",
                metadata: ["rpc-peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"]
            )
            self.idleCheck = nil
            context.close(promise: nil)
        } else {
            self.scheduleIdleCheck(context: context, at: idleUntil)
        }
    }

    private func cancelTimers() {
        self.idleCheck?.cancel()
        self.idleCheck = nil
        self.frameDeadline?.cancel()
        self.frameDeadline = nil
    }
}

@available(*, unavailable)
extension RPCConnectionTimeoutHandler: Sendable {}
