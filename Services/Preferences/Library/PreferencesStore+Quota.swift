internal import Foundation
internal import MKPostgres
internal import MKRPC

extension PreferencesStore {
    /// Counts one informative notification of `authorityID` against the hourly quota of the clock
    /// hour holding `now`, inside the notification's transaction; RESOURCE_EXHAUSTED
    /// (`QUOTA_EXCEEDED`) when the quota is used up, and the caller's rollback undoes the count.
    ///
    /// The window's counter is spread over `authorityQuotaSlots` rows and a call bumps one at
    /// random, so concurrent calls of one authority do not queue on a single row lock that is held
    /// until each commit's WAL flush. The call then checks the sum of the window's slots in a
    /// second statement: under READ COMMITTED that statement's snapshot is taken while this call
    /// holds its slot's lock, so it sees every committed count plus its own. What it cannot see is
    /// at most one uncommitted count per *other* slot (a slot's counts commit one after another,
    /// each holding the slot's lock until its commit). Hence concurrent callers overshoot the quota
    /// by at most `authorityQuotaSlots − 1` and never by more than the calls in flight at once,
    /// and sequential calls stop exactly at the quota. A refusal is never spurious: it only counts
    /// committed notifications and its own.
    nonisolated(nonsending) func chargeQuota(of authorityID: String, at now: Date, on connection: PostgresConnection)
        async throws
    {
        let window = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        let slot = Int16.random(in: 0..<Int16(configuration.authorityQuotaSlots))
        try await connection.execute(
            """
            INSERT INTO authority_quota (authority_id, window_start, slot, used)
            VALUES (\(authorityID), \(window), \(slot), 1)
            ON CONFLICT (authority_id, window_start, slot) DO UPDATE SET used = authority_quota.used + 1
            """)
        let used = try await connection.query(
            """
            SELECT sum(used)::bigint FROM authority_quota
            WHERE authority_id = \(authorityID) AND window_start = \(window)
            """
        ).single(Int64.self)
        guard used <= Int64(configuration.authorityQuotaPerHour) else {
            throw RPCError(
                .resourceExhausted,
                "The authority's quota of \(configuration.authorityQuotaPerHour) notifications per hour is used up.",
                reason: "QUOTA_EXCEEDED")
        }
    }
}
