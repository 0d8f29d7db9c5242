internal import NIOCore

/// The first handler of a gateway connection: tells its ``RequestReadDeadlineHandler`` whenever
/// bytes arrive, before the HTTP decoder has made anything of them, and passes them on unchanged.
final class RequestBytesSentinel: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadlines: RequestReadDeadlineHandler

    /// A sentinel reporting to `deadlines` (on the same channel, hence the same event loop).
    init(deadlines: RequestReadDeadlineHandler) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if unwrapInboundIn(data).readableBytes > 0 {
            deadlines.bytesArrived()
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestBytesSentinel: Sendable {}
