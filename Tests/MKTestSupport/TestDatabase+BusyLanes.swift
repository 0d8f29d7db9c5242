public import MKPostgres

extension TestDatabase {
    /// Starts the calls `start` returns while every lane of a service's batch queue is busy, and
    /// returns them once the lanes are free again (the calls may still be running), so the calls
    /// queue meanwhile and go together in the next batches.
    ///
    /// Another transaction takes `lock` (a `SELECT … FOR UPDATE` of one row) and holds it for 1.5 s;
    /// meanwhile `lanes` calls of `blockedCall`, started one at a time (two queued together would
    /// share one batch), wait for that row, one per lane.
    public static func whileBatchLanesAreBusy<T>(
        _ database: PostgresClient, lock: PostgresQuery, lanes: Int = 1,
        blockedCall: @escaping @Sendable () async throws -> Void, _ start: () -> [Task<T, any Error>]
    ) async throws -> [Task<T, any Error>] {
        let holder = Task {
            try await database.withTransaction { connection in
                try await connection.query(lock)
                try await connection.query("SELECT pg_sleep(1.5)")
            }
        }
        try await waitForSessions(of: database, "a transaction holding the lock") { sessions in
            sessions.contains { $0.query.hasPrefix("SELECT pg_sleep(1.5)") }
        }
        var blocked: [Task<Void, any Error>] = []
        for busy in 1...lanes {
            blocked.append(Task { try await blockedCall() })
            try await waitForSessions(of: database, "\(busy) lanes waiting for the lock") { sessions in
                sessions.filter(\.waitsForLock).count == busy
            }
        }
        let started = start()
        _ = try await holder.value
        for task in blocked { try await task.value }
        return started
    }

    /// Polls the other sessions of `database`'s role until `done` holds for them.
    private static func waitForSessions(
        of database: PostgresClient, _ what: String, _ done: ([(query: String, waitsForLock: Bool)]) -> Bool
    ) async throws {
        for _ in 0..<500 {
            let sessions = try await database.query(
                """
                SELECT query, coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity
                WHERE usename = current_user AND pid <> pg_backend_pid()
                """
            ).decode((String, Bool).self).map { (query: $0.0, waitsForLock: $0.1) }
            if done(sessions) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PostgresError(.server, reason: "never saw \(what)")
    }
}
