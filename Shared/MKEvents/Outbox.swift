public import MKMessages
public import MKPostgres
internal import Foundation

/// The producer side of the transactional outbox (tables from ``OutboxSchema``).
public enum Outbox {
    /// Writes `event` to the outbox on `connection`, which must be inside the transaction that
    /// makes the change the event describes: the event exists if and only if the change commits.
    ///
    /// Sets the event's `sequence` (drawn now) and queues it for every registered subscriber that
    /// takes its type.
    /// Sequence order equals commit order only among transactions that serialize on something
    /// before appending — lock a per-subject row first, so events of one subject are delivered in
    /// the order their changes committed. Returns the sequence number.
    @discardableResult
    public static nonisolated(nonsending) func append(_ event: Mk_Events_V1_Event, on connection: PostgresConnection) async throws -> Int64 {
        try await append([event], on: connection)[0]
    }

    /// Writes `events` to the outbox as ``append(_:on:)`` writes each, in their order, in two round
    /// trips: one draws their sequence numbers (each event's payload carries its own), one statement
    /// stores them all and queues them for every subscriber. Returns their sequence numbers.
    @discardableResult
    public static nonisolated(nonsending) func append(
        _ events: [Mk_Events_V1_Event], on connection: PostgresConnection
    ) async throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        var eventIDs: [UUID] = []
        eventIDs.reserveCapacity(events.count)
        for event in events {
            guard let eventID = UUID(uuidString: event.eventId) else {
                throw PostgresError(.invalidParameter, reason: "an outbox event needs a UUID event id")
            }
            eventIDs.append(eventID)
        }
        let sequences = try await connection.query(
            "SELECT nextval('outbox_sequence') FROM generate_series(1, \(Int64(events.count)))"
        ).decode(Int64.self).sorted()
        let payloads = try zip(events, sequences).map { event, sequence in
            var sequenced = event
            sequenced.sequence = UInt64(sequence)
            return try sequenced.serializedBytes()
        }
        try await connection.query(
            """
            WITH event AS (
                INSERT INTO outbox_event (sequence, event_id, subject, event_type, payload, created_at)
                SELECT event.sequence, event.event_id, event.subject, event.event_type, event.payload, now()
                FROM unnest(\(sequences), \(eventIDs), \(events.map(\.subject)),
                            \(events.map { Int64($0.type.rawValue) }), \(payloads))
                    AS event (sequence, event_id, subject, event_type, payload)
                ORDER BY event.sequence
                RETURNING sequence, event_type
            )
            INSERT INTO outbox_pending (subscriber, sequence)
            SELECT subscriber.name, event.sequence FROM outbox_subscriber AS subscriber, event
            WHERE subscriber.event_types IS NULL OR event.event_type = ANY (subscriber.event_types)
            """)
        return sequences
    }

    /// Registers a subscriber so events appended from now on are queued for it: those of
    /// `eventTypes`, or of every type when `nil`. Registering it again sets its types anew. The
    /// relay registers its subscribers when it starts.
    public static nonisolated(nonsending) func registerSubscriber(
        _ name: String, eventTypes: Set<Mk_Events_V1_EventType>? = nil, on connection: PostgresConnection
    ) async throws {
        let types = eventTypes.map { $0.map { Int64($0.rawValue) }.sorted() }
        try await connection.query(
            """
            INSERT INTO outbox_subscriber (name, registered_at, event_types)
            VALUES (\(name), now(), \(types)::integer[])
            ON CONFLICT (name) DO UPDATE SET event_types = EXCLUDED.event_types
            """)
    }
}
