internal import Foundation
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

    /// The second half of counting one informative notification against its authority's hourly
    /// quota: `used` is the hour's count that the statement writing the notification read (see
    /// ``insert(_:targets:at:audit:quota:on:)``). RESOURCE_EXHAUSTED (`QUOTA_EXCEEDED`) when the
    /// quota is used up; the caller's rollback then undoes the count and the notification.
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
    /// spurious: it only counts committed notifications and its own. A batch
    /// (``sendInformatives(_:logger:)``) keeps the bound by bumping a slot of its own for each of
    /// its notifications of an authority and reading the sum after all its bumps.
    func checkQuota(used: Int64) throws {
        guard used <= Int64(configuration.authorityQuotaPerHour) else {
            throw RPCError(
                .resourceExhausted,
                "The authority's quota of \(configuration.authorityQuotaPerHour) notifications per hour is used up.",
                reason: "QUOTA_EXCEEDED")
        }
    }
}
