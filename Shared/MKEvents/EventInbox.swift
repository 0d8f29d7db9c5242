public import Foundation
public import MKPostgres

/// The consumer side: applies each event id at most once (table from ``EventInboxSchema``).
public enum EventInbox {
    /// Records `eventID` as applied, on `connection`, which must be inside the transaction that
    /// makes the event's effect. Returns false when the id was applied before: skip the effect.
    ///
    /// Two concurrent deliveries of one event serialize on the id: the second waits for the first
    /// to commit and then gets false (or true if the first rolled back).
    public static nonisolated(nonsending) func applyOnce(eventID: UUID, producer: String, on connection: PostgresConnection) async throws
        -> Bool
    {
        let inserted = try await connection.execute(
            """
            INSERT INTO inbox_event (event_id, producer, applied_at) VALUES (\(eventID), \(producer), now())
            ON CONFLICT (event_id) DO NOTHING
            """)
        return inserted == 1
    }
}
