import MKMessages
import NIOCore
import NIOPosix
import Testing

@testable import MKRPC

@Suite("Client deadlines and trace ids")
struct ClientDeadlineTests {
    /// A TCP server that accepts, reads and never answers; tells when the first bytes arrived, so a
    /// test knows a request reached the wire. Only the client's own timer can end a call to it.
    final class SilentServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let firstBytes: EventLoopPromise<Void>

        init(firstBytes: EventLoopPromise<Void>) {
            self.firstBytes = firstBytes
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.firstBytes.succeed()
        }
    }

    @Test func shortDeadlineExpiresWhileALongerCallWaitsOnTheSameConnection() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let firstBytes = group.next().makePromise(of: Void.self)
        let silent = SilentServer(firstBytes: firstBytes)
        let listener = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(silent) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        defer { listener.close(promise: nil) }
        let port = try #require(listener.localAddress?.port)

        try await withTimeout {
            try await withClient(port: port, configuration: RPCClient.Configuration(connections: 1)) { client in
                // The long call's deadline (an hour) is the connection's only one while it waits.
                let long = Task {
                    await rpcError { _ = try await client.call(EchoMethods.echo, timeout: .seconds(3_600)) }
                }
                try await firstBytes.futureResult.get()
                // A shorter deadline must move the connection's timer forward, or this waits an hour.
                let short = await rpcError { _ = try await client.call(EchoMethods.echo, timeout: .milliseconds(100)) }
                #expect(short?.code == .deadlineExceeded)
                long.cancel()
                let longError = await long.value
                #expect(longError?.code == .cancelled)
            }
        }
    }

    @Test func traceIDsAreValidAndDistinct() {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RPCCallSetup.newTraceID()
            #expect(RPCCallSetup.isValidTraceID(id), "\(id)")
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }
}
