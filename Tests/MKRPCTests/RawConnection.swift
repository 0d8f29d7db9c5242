import NIOCore
import NIOPosix

@testable import MKRPC

/// A plain TCP connection to a server, for sending bytes no client would.
struct RawConnection {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffered = ByteBuffer()
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects to 127.0.0.1:`port` and runs `body` with the connection; closes it afterwards.
    static func with<T: Sendable>(
        port: Int,
        _ body: (inout RawConnection) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawConnection(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    /// Writes raw bytes.
    func send(_ bytes: [UInt8]) async throws {
        try await self.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Writes a frame for `frame`.
    func send(_ frame: RPCFrame) async throws {
        try await self.outbound.write(try RPCEnvelopeCodec.encode(frame, maximumFrameSize: 65_536))
    }

    /// The next frame from the server; `nil` when it closed the connection.
    mutating func nextFrame() async throws -> RPCFrame? {
        while true {
            if let body = try RPCFrameDecoder.readFrame(from: &self.buffered, maximumFrameSize: 65_536) {
                return try RPCEnvelopeCodec.decode(body)
            }
            guard var more = try await self.iterator.next() else { return nil }
            self.buffered.writeBuffer(&more)
        }
    }

    /// Reads until the server closes the connection; true when it did (a reset counts).
    mutating func waitForClose() async -> Bool {
        do {
            while try await self.iterator.next() != nil {}
            return true
        } catch {
            return true
        }
    }
}

/// A request frame for `method` with a `Mk_Rpc_V1_Metadata` payload whose trace id is `tag`.
func requestFrame(callID: UInt64, method: RPCMethodDescriptor = EchoMethods.echo, tag: String) throws -> RPCFrame {
    let payload = try MKMessagesShim.metadata(tag)
    return .request(
        RPCFrame.Request(
            callID: callID,
            method: method.fullName,
            timeoutMicros: 10_000_000,
            metadata: RPCMetadata(),
            payload: payload
        )
    )
}
