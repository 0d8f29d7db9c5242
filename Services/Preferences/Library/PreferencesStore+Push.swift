internal import Foundation
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// Sets (or, with an empty token, removes) the push token of the citizen's key `deviceID`;
    /// NOT_FOUND for another citizen's or an unknown key. The token is never audited or logged.
    func registerPushToken(_ token: String, of deviceID: UUID, subject: String, origin: CallOrigin) async throws {
        let now = clock.now()
        try await client.withTransaction { connection in
            _ = try await lockCitizen(subject, at: now, on: connection)
            try await requireDevice(deviceID, of: subject, on: connection)
            try await connection.query(
                "UPDATE device_setting SET push_token = \(token) WHERE device_id = \(deviceID) AND subject = \(subject)")
            try await audit(
                token.isEmpty ? "push_token_removed" : "push_token_registered", subject: subject,
                detail: "key: \(deviceID.lowercaseText)", origin: origin, at: now, on: connection)
        }
    }

    /// Queues a wake-up for each of `devices` that has a push token (see `0003_push.sql`), in one
    /// statement: a wake-up already waiting covers the new message; one being sent is replaced, so
    /// the app is woken again after this message is in its inbox.
    nonisolated(nonsending) func queueWakeups(for devices: [UUID], at now: Date, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(Self.wakeupsQuery(for: devices, at: now))
    }

    /// The statement of ``queueWakeups(for:at:on:)``.
    static func wakeupsQuery(for devices: [UUID], at now: Date) -> PostgresQuery {
        var seen = Set<UUID>()
        let unique = devices.filter { seen.insert($0).inserted }  // one row may be upserted once per statement
        return """
            INSERT INTO push_wakeup (device_id, id, state, attempts, next_attempt_at)
            SELECT setting.device_id, wakeup.id, 'pending', 0, \(now)
            FROM unnest(\(unique), \(unique.map { _ in UUID.random() })) AS wakeup (device_id, id)
            JOIN device_setting AS setting ON setting.device_id = wakeup.device_id
            WHERE setting.push_token <> ''
            ON CONFLICT (device_id) DO UPDATE
            SET id = EXCLUDED.id, state = 'pending', attempts = 0, next_attempt_at = EXCLUDED.next_attempt_at,
                lease_token = NULL, last_error = '', sent_at = NULL
            WHERE push_wakeup.state <> 'pending' OR push_wakeup.lease_token IS NOT NULL
            """
    }
}
