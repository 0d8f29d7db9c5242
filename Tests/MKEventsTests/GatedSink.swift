import MKContracts
import MKMessages
import MKRPC
import MKTestSupport

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
