internal import Foundation
internal import MKPostgres
internal import MKServiceRuntime

extension RegistryStore {
    /// How many expired revocations one revocation purges at most, so a backlog never makes a
    /// sign-out slow.
    static let revokedSessionPurgeBatch = 500

    /// Records that `subject`'s session `sessionID` was signed out until `expiresAt`, and purges
    /// revocations whose session has ended. Returns false when it was recorded before or
    /// `expiresAt` has already passed (nothing to refuse any more).
    func revokeSession(_ sessionID: UUID, of subject: String, until expiresAt: Date, origin: CallOrigin) async throws
        -> Bool
    {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await connection.query(
                """
                DELETE FROM revoked_session WHERE (session_id, subject) IN (
                    SELECT session_id, subject FROM revoked_session WHERE expires_at <= \(now)
                    LIMIT \(Self.revokedSessionPurgeBatch))
                """)
            guard expiresAt > now else { return false }
            let inserted = try await connection.query(
                """
                INSERT INTO revoked_session (session_id, subject, revoked_at, expires_at)
                VALUES (\(sessionID), \(subject), \(now), \(expiresAt))
                ON CONFLICT (session_id, subject) DO NOTHING
                """
            ).affectedRows
            if inserted > 0 {
                try await audit("session_revoked", subject: subject, origin: origin, at: now, on: connection)
            }
            return inserted > 0
        }
    }

    /// Whether `subject`'s session `sessionID` was signed out and has not ended yet.
    func isSessionRevoked(_ sessionID: UUID, of subject: String) async throws -> Bool {
        let now = clock.now()
        let rows = try await client.pipelinedQuery(
            """
            SELECT 1 FROM revoked_session
            WHERE session_id = \(sessionID) AND subject = \(subject) AND expires_at > \(now)
            """)
        return rows.first != nil
    }
}
