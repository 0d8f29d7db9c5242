import Logging
import MKContracts
import MKEvents
import MKMessages
import MKRPC
import MKTestSupport
import NIOCore
import Testing

/// An `EventSink` that acknowledges every delivery, but while it is closed holds each one until it
/// is opened, so a test can act while the relay sits inside a delivery (holding its lease).
final class GatedSink: Mk_Events_V1_EventSink.ServiceProtocol {
    private let gate = Gate(open: true)
    private let entries: AsyncStream<Void>.Continuation
    /// One element for every delivery that arrived while the gate was closed.
    let entered: AsyncStream<Void>

    init() {
        (entered, entries) = AsyncStream.makeStream(of: Void.self)
    }

    func close() {
        gate.close()
    }

    func open() {
        gate.open()
    }

    func deliverEvents(
        _ request: Mk_Events_V1_DeliverEventsRequest, context: RPCContext
    ) async throws -> Mk_Events_V1_DeliverEventsResponse {
        await gate.pass { entries.yield() }
        return Mk_Events_V1_DeliverEventsResponse(applied: UInt32(request.events.count))
    }
}

extension GatedSink {
    /// Serves a new gated sink on a loopback port while `body` runs, which gets the sink and a
    /// subscriber named "preferences" reaching it; afterwards (also when `body` throws) the gate
    /// opens and the client and server shut down, so nothing stays held.
    static func serving(logger: Logger, _ body: (GatedSink, OutboxSubscriber) async throws -> Void) async throws {
        let sink = GatedSink()
        let server = RPCServer(host: "127.0.0.1", port: 0, services: [sink], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { server.beginGracefulShutdown() }
            let port = try #require(try await server.listeningAddress().port)
            let sinkClient = RPCClient(host: "127.0.0.1", port: port, logger: logger)
            defer {
                sink.open()
                sinkClient.shutdown()
            }
            try await body(sink, OutboxSubscriber(name: "preferences", caller: sinkClient))
        }
    }
}
