internal import Foundation
internal import MKEvents
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

/// The BOK service's data access: every operation is one transaction on the service's schema that
/// first locks the citizen's `subject` row (so one citizen's changes and their events serialize),
/// with the time taken once from the injected clock and passed in as a parameter (never `now()`).
struct BokStore: Sendable {
    /// Consecutive wrong answers that block a BOK.
    static let maximumFailures = 3

    let client: PostgresClient
    let clock: any WallClock
    let hasher: CredentialHasher
    let configuration: BokConfiguration

    /// Locks (creating if needed) the subject's row.
    nonisolated(nonsending) func lockSubject(_ subject: String, at now: Date, on connection: PostgresConnection)
        async throws
    {
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
        requestID: UUID? = nil,
        deviceID: UUID? = nil,
        officeID: String = "",
        detail: String = "",
        origin: CallOrigin,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO audit (at, subject, action, request_id, device_id, office_id, caller, peer_identity, trace_id, detail)
            VALUES (\(now), \(subject), \(action), \(requestID), \(deviceID), \(officeID), \(origin.caller),
                    \(origin.peerIdentity), \(origin.traceID), \(detail))
            """)
    }

    /// Writes `event` to the outbox in the current transaction.
    nonisolated(nonsending) func publish(_ event: Mk_Events_V1_Event, on connection: PostgresConnection) async throws {
        try await Outbox.append(event, on: connection)
    }

    /// The citizen's consecutive failures, or `nil` when the citizen has no BOK.
    nonisolated(nonsending) func failures(of subject: String, on connection: PostgresConnection) async throws -> Int? {
        try await connection.query(Self.failuresQuery(of: subject)).decodeFirst(Int.self)
    }

    /// ``failures(of:on:)`` outside a transaction, sharing a round trip with concurrent reads.
    func failures(of subject: String) async throws -> Int? {
        try await client.pipelinedQuery(Self.failuresQuery(of: subject)).decodeFirst(Int.self)
    }

    private static func failuresQuery(of subject: String) -> PostgresQuery {
        "SELECT failures FROM credential WHERE subject = \(subject)"
    }

    /// Wrong answers left for `failures` consecutive failures.
    static func attemptsLeft(failures: Int?) -> Int {
        guard let failures else { return 0 }
        return max(0, maximumFailures - failures)
    }

    /// Closes `request` in `status` at `now`: updates the row (only while it is still open), writes
    /// the audit row and the outcome event. Returns false when the request was no longer open.
    @discardableResult
    nonisolated(nonsending) func close(
        _ request: VerificationRecord,
        as status: VerificationStatus,
        attemptsLeft: Int,
        deviceID: UUID?,
        origin: CallOrigin,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let updated = try await connection.execute(
            """
            UPDATE verification
            SET state = \(status.rawValue), finished_at = \(now), attempts_left = \(Int32(attemptsLeft)),
                device_id = coalesce(\(deviceID), device_id)
            WHERE id = \(request.id) AND state IN ('pending', 'answering')
            """)
        guard updated == 1 else { return false }
        try await audit(
            "verification_\(status.rawValue)", subject: request.subject, requestID: request.id, deviceID: deviceID,
            officeID: request.officeID, detail: "attempts left: \(attemptsLeft)", origin: origin, at: now, on: connection)
        if let result = status.result {
            try await publish(
                BokEvents.outcome(
                    result, subject: request.subject, requestID: request.id, officeName: request.officeName,
                    purpose: request.purpose, attemptsLeft: attemptsLeft, deviceID: deviceID, at: now),
                on: connection)
        }
        return true
    }

    /// Expires the subject's open requests whose time has passed, and cancels the others when
    /// `cancelOpen` is set (the BOK changed under them). Call with the subject locked.
    nonisolated(nonsending) func closeOpenRequests(
        of subject: String, cancelOpen: Bool, origin: CallOrigin, at now: Date, on connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: VerificationRecord.columns) FROM verification
            WHERE subject = \(subject) AND state = 'pending'
            FOR UPDATE
            """)
        let left = Self.attemptsLeft(failures: try await failures(of: subject, on: connection))
        for row in rows {
            let request = try VerificationRecord(row: row)
            if request.expiresAt <= now {
                try await close(
                    request, as: .expired, attemptsLeft: left, deviceID: nil, origin: origin, at: now, on: connection)
            } else if cancelOpen {
                try await close(
                    request, as: .cancelled, attemptsLeft: left, deviceID: nil, origin: origin, at: now, on: connection)
            }
        }
    }
}
