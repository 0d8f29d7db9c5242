import Foundation
import MKContracts
import MKEvents
import MKMessages
import MKPostgres
import MKRPC
import Synchronization

/// A consumer's `EventSink`: applies each event once (inbox + effect row in one transaction). When
/// `loseFirstAcknowledgement` is set, its first delivery is applied and committed but answered with
/// UNAVAILABLE, as if the response were lost, so the producer redelivers it.
final class TestSink: Mk_Events_V1_EventSink.ServiceProtocol {
    let client: PostgresClient
    private let state: Mutex<(calls: Int, loseNext: Bool)>

    init(client: PostgresClient, loseFirstAcknowledgement: Bool) {
        self.client = client
        state = Mutex((0, loseFirstAcknowledgement))
    }

    var calls: Int { state.withLock { $0.calls } }

    func deliverEvents(
        _ request: Mk_Events_V1_DeliverEventsRequest, context: RPCContext
    ) async throws -> Mk_Events_V1_DeliverEventsResponse {
        let applied = try await client.withTransaction { connection in
            var applied: UInt32 = 0
            for event in request.events {
                guard let id = UUID(uuidString: event.eventId) else { throw RPCError(.invalidArgument, "event_id") }
                if try await EventInbox.applyOnce(eventID: id, producer: event.producer, on: connection) {
                    try await connection.query(
                        """
                        INSERT INTO effect (event_id, subject, sequence)
                        VALUES (\(id), \(event.subject), \(Int64(event.sequence)))
                        """)
                    applied += 1
                }
            }
            return applied
        }
        let loseIt = state.withLock { state in
            state.calls += 1
            defer { state.loseNext = false }
            return state.loseNext
        }
        if loseIt {
            throw RPCError(.unavailable, "acknowledgement lost")
        }
        return Mk_Events_V1_DeliverEventsResponse(applied: applied)
    }
}
