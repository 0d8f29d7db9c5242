internal import Foundation
internal import MKPostgres
internal import MKRPC

extension PreferencesStore {
    /// Where one informative notification of an authority is counted against its hourly quota:
    /// the clock hour holding `now` and one of the window's `authorityQuotaSlots` counter rows.
    struct QuotaCharge: Sendable {
        var window: Date
        var slot: Int16
    }

    /// A charge for a notification accepted at `now`, in a slot drawn at random.
    func quotaCharge(at now: Date) -> QuotaCharge {
        QuotaCharge(
            window: Self.quotaWindow(at: now), slot: Int16.random(in: 0..<Int16(configuration.authorityQuotaSlots)))
    }

    /// The start of the clock hour holding `now`: the quota window `now` is counted in.
    static func quotaWindow(at now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }

    /// The second half of counting one informative notification of `authority` against its hourly
    /// quota: `used` is the count of `window` that the statement writing the notification read
    /// (see ``insert(_:targets:at:audit:quota:on:)``). RESOURCE_EXHAUSTED (`QUOTA_EXCEEDED`) when the
    /// quota is used up; the caller's rollback then undoes the count and the notification. A refusal
    /// is remembered in ``exhaustedQuotas``.
    ///
    /// The first half is an earlier statement of the same transaction that bumps the charge's slot
    /// row (`INSERT INTO authority_quota … ON CONFLICT … DO UPDATE SET used = used + 1`;
    /// ``sendInformative(_:origin:)`` does it in the statement that looks for a repeat, and only
    /// for a new notification). The window's counter is spread over `authorityQuotaSlots` rows and
    /// a call bumps one at random, so concurrent calls of one authority do not queue on a single
    /// row lock that is held until each commit's WAL flush. The statement that reads the sum of
    /// the window's slots runs after that bump: under READ COMMITTED its snapshot is taken while
    /// this call holds its slot's lock, so it sees every committed count plus its own. What it
    /// cannot see is at most one uncommitted count per *other* slot (a slot's counts commit one
    /// after another, each holding the slot's lock until its commit). Hence concurrent callers
    /// overshoot the quota by at most `authorityQuotaSlots − 1` and never by more than the calls in
    /// flight at once, and sequential calls stop exactly at the quota. A refusal is never
    /// spurious: it only counts committed notifications and its own, so the committed count alone
    /// had reached the quota. A batch (``sendInformatives(_:logger:)``) keeps the bound by bumping a
    /// slot of its own for each of its notifications of an authority and reading the sum after all
    /// its bumps.
    func checkQuota(used: Int64, authority: String, window: Date) throws {
        guard used <= Int64(configuration.authorityQuotaPerHour) else {
            exhaustedQuotas.record(authority, window: window)
            throw quotaExceeded
        }
    }

    /// The refusal of a notification over its authority's quota.
    var quotaExceeded: RPCError {
        RPCError(
            .resourceExhausted,
            "The authority's quota of \(configuration.authorityQuotaPerHour) notifications per hour is used up.",
            reason: "QUOTA_EXCEEDED")
    }

    /// Answers a notification of an authority whose quota is known to be used up in the current
    /// hour (``exhaustedQuotas``) as ``sendInformative(_:origin:)`` would, with reads only: a repeat
    /// of a stored notification with its id and channels, a key used for other content with
    /// ALREADY_EXISTS, and a new notification with RESOURCE_EXHAUSTED (counting it would refuse
    /// it, and the rollback would leave nothing behind).
    func answerOverQuota(_ request: Informative) async throws -> AcceptedInformative {
        let stored = try await client.query(Self.storedInformativeQuery(request)).decodeFirst((UUID, [UInt8]?).self)
        guard let (id, hash) = stored else { throw quotaExceeded }
        guard hash == request.contentHash else { throw Self.idempotencyKeyReused }
        return (id, try Self.senderStatuses(try await client.query(Self.senderStatusesQuery(of: id))))
    }

    /// The notification stored under the request's authority and idempotency key: its id and content hash.
    static func storedInformativeQuery(_ request: Informative) -> PostgresQuery {
        """
        SELECT id, content_hash FROM notification
        WHERE authority_id = \(request.authorityID) AND idempotency_key = \(request.idempotencyKey)
        """
    }
}
