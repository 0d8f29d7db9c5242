import NIOCore
import NIOPosix
import Synchronization

/// The floor of the RPC row: a SwiftNIO server that answers every 4-byte-length-prefixed frame
/// with the same frame, and a client that sends pre-encoded bytes and waits for their echo. No
/// envelope, no protobuf, no deadlines, no limits: what our runtime adds is measured against this.
enum BareNIOEcho {
    /// Splits the stream into frames (length prefix included), in order.
    final class FrameDecoder: ByteToMessageDecoder {
        typealias InboundOut = ByteBuffer

        func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                buffer.readableBytes >= 4 + Int(length),
                let frame = buffer.readSlice(length: 4 + Int(length))
            else { return .needMoreData }
            context.fireChannelRead(wrapInboundOut(frame))
            return .continue
        }
    }

    /// Writes every frame back.
    final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.write(data, promise: nil)
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
        }
    }

    /// Matches echoes to requests in order: one connection answers in the order it was asked.
    final class ClientHandler: ChannelDuplexHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundIn = (ByteBuffer, EventLoopPromise<ByteBuffer>)
        typealias OutboundOut = ByteBuffer

        private var waiting = CircularBuffer<EventLoopPromise<ByteBuffer>>()

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let (frame, response) = unwrapOutboundIn(data)
            waiting.append(response)
            context.write(wrapOutboundOut(frame), promise: promise)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            waiting.popFirst()?.succeed(unwrapInboundIn(data))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            while let response = waiting.popFirst() { response.fail(error) }
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            while let response = waiting.popFirst() { response.fail(ChannelError.ioOnClosedChannel) }
        }
    }

    static func startServer() async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    /// `connections` connections; calls go round-robin over them, as our client spreads them.
    final class Client: Sendable {
        let channels: [any Channel]
        let frame: ByteBuffer
        private let next = Atomic<Int>(0)

        init(port: Int, connections: Int, payload: [UInt8]) async throws {
            var channels: [any Channel] = []
            for _ in 0..<connections {
                channels.append(
                    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
                        .channelInitializer { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                                try channel.pipeline.syncOperations.addHandler(ClientHandler())
                            }
                        }
                        .connect(host: "127.0.0.1", port: port)
                        .get())
            }
            self.channels = channels
            var frame = ByteBuffer()
            frame.writeInteger(UInt32(payload.count))
            frame.writeBytes(payload)
            self.frame = frame
        }

        func call() async throws {
            let index = next.wrappingAdd(1, ordering: .relaxed).newValue
            let channel = channels[index % channels.count]
            let response = channel.eventLoop.makePromise(of: ByteBuffer.self)
            channel.writeAndFlush((frame, response), promise: nil)
            let echo = try await response.futureResult.get()
            guard echo.readableBytes == frame.readableBytes else { throw BenchError("short echo") }
        }

        func close() async {
            for channel in channels { try? await channel.close() }
        }
    }
}

@available(*, unavailable)
extension BareNIOEcho.FrameDecoder: Sendable {}
@available(*, unavailable)
extension BareNIOEcho.EchoHandler: Sendable {}
@available(*, unavailable)
extension BareNIOEcho.ClientHandler: Sendable {}
