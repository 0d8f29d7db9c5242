internal import Foundation
internal import Logging
internal import MKEvents
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

/// The registry's data access: every operation is one transaction on the service's schema, with
/// the time taken once from the injected clock and passed in as a parameter (never `now()`), so
/// expiry is deterministic in tests.
struct RegistryStore: Sendable {
    let client: PostgresClient
    let clock: any WallClock
    let maximumActiveKeys: Int

    /// Locks (creating if needed) the subject's row. Every mutating transaction calls this first,
    /// so one citizen's changes, and their outbox sequence numbers, are serialized in commit order.
    nonisolated(nonsending) func lockSubject(_ subject: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO subject (subject, first_seen_at) VALUES (\(subject), \(now))
            ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
            """)
    }

    /// Writes an audit row; `detail` must never hold a secret.
    nonisolated(nonsending) func audit(
        _ action: String,
        subject: String,
        deviceID: UUID? = nil,
        pairingID: UUID? = nil,
        detail: String = "",
        origin: CallOrigin,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO audit (at, subject, action, device_id, pairing_id, caller, peer_identity, trace_id, detail)
            VALUES (\(now), \(subject), \(action), \(deviceID), \(pairingID), \(origin.caller),
                    \(origin.peerIdentity), \(origin.traceID), \(detail))
            """)
    }

    /// Appends an entry to the citizen's history.
    nonisolated(nonsending) func history(
        _ action: Mk_Registry_V1_HistoryAction,
        subject: String,
        deviceID: UUID?,
        displayName: String,
        detail: String,
        origin: String,
        at: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO history (subject, at, action, device_id, device_display_name, detail, origin)
            VALUES (\(subject), \(at), \(action.rawValue), \(deviceID), \(displayName), \(detail), \(origin))
            """)
    }

    /// Writes `event` to the outbox in the current transaction; returns its sequence number.
    @discardableResult
    nonisolated(nonsending) func publish(_ event: Mk_Events_V1_Event, on connection: PostgresConnection) async throws
        -> Int64
    {
        try await Outbox.append(event, on: connection)
    }

    /// Writes `events` to the outbox in the current transaction, in their order.
    nonisolated(nonsending) func publish(
        _ events: [Mk_Events_V1_Event], on connection: PostgresConnection
    ) async throws {
        try await Outbox.append(events, on: connection)
    }

    /// The subject's active key `deviceID`, locked for update; NOT_FOUND when it is unknown,
    /// unpaired or another citizen's.
    nonisolated(nonsending) func lockedActiveDevice(_ deviceID: UUID, of subject: String, on connection: PostgresConnection) async throws
        -> DeviceRecord
    {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: DeviceRecord.columns) FROM device
            WHERE id = \(deviceID) AND subject = \(subject) AND unpaired_at IS NULL
            FOR UPDATE
            """)
        guard let row = rows.first else { throw RegistryFailure.deviceNotFound }
        return try DeviceRecord(row: row)
    }

    /// The number of the subject's active keys other than `excluded`, and of other means kinds.
    nonisolated(nonsending) func otherMeans(of subject: String, excluding excluded: UUID, on connection: PostgresConnection) async throws
        -> (keys: Int64, means: Int64)
    {
        let rows = try await connection.query(
            """
            SELECT
                (SELECT count(*) FROM device WHERE subject = \(subject) AND unpaired_at IS NULL AND id <> \(excluded)),
                (SELECT count(*) FROM known_means WHERE subject = \(subject))
            """)
        let (keys, means) = try rows.single((Int64, Int64).self)
        return (keys, means)
    }
}
