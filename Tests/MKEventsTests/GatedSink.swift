import MKContracts
import MKMessages
import MKRPC
import Synchronization

/// An `EventSink` that acknowledges every delivery, but while it is closed holds each one until it
/// is opened, so a test can act while the relay sits inside a delivery (holding its lease).
final class GatedSink: Mk_Events_V1_EventSink.ServiceProtocol {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((true, []))
    private let entries: AsyncStream<Void>.Continuation
    /// One element for every delivery that arrived while the gate was closed.
    let entered: AsyncStream<Void>

    init() {
        (entered, entries) = AsyncStream.makeStream(of: Void.self)
    }

    func close() {
        state.withLock { $0.open = false }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func deliverEvents(
        _ request: Mk_Events_V1_DeliverEventsRequest, context: RPCContext
    ) async throws -> Mk_Events_V1_DeliverEventsResponse {
        await withCheckedContinuation { continuation in
            let held = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return !state.open
            }
            if held { entries.yield() } else { continuation.resume() }
        }
        return Mk_Events_V1_DeliverEventsResponse(applied: UInt32(request.events.count))
    }
}
