public import MKContracts
public import MKMessages
public import MKPostgres
public import MKRPC
public import MKServiceRuntime

/// The `mk.events.v1.EventSink` the Device Registry and BOK relays deliver to. Each event is
/// applied in its own transaction with its id recorded in the event inbox, so a batch delivered
/// twice, or partly applied before a failure, applies every event exactly once.
public struct PreferencesEventSink: Mk_Events_V1_EventSink.ServiceProtocol {
    private let store: PreferencesStore

    /// Creates the sink over `client`, whose connections use the service's schema.
    public init(client: PostgresClient, clock: any WallClock = SystemWallClock()) {
        self.store = PreferencesStore(client: client, clock: clock, configuration: PreferencesConfiguration())
    }

    /// Serves `DeliverEvents`: applies the batch in order; an error means the producer resends it.
    public func deliverEvents(
        _ request: Mk_Events_V1_DeliverEventsRequest, context: RPCContext
    ) async throws -> Mk_Events_V1_DeliverEventsResponse {
        guard (1...100).contains(request.events.count) else {
            throw RequestValidation.invalid("events", "must hold 1 to 100 events")
        }
        do {
            var applied: UInt32 = 0
            for event in request.events where try await store.apply(event, logger: context.logger) {
                applied += 1
            }
            return Mk_Events_V1_DeliverEventsResponse(applied: applied)
        } catch {
            throw ServiceFailure.rpcError(for: error, service: "Preferences service", logger: context.logger)
        }
    }
}
