internal import Foundation
internal import Logging
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// Why a batch of informative notifications is better sent one by one: a case the batch does
    /// not decide itself, because the answer depends on the order the calls would run in alone.
    private struct SendOneByOne: Error, CustomStringConvertible {
        var description: String

        /// A key was used before, or earlier in the part, for other content.
        static let keyReused = SendOneByOne(description: "an idempotency key was reused for other content")
    }

    /// Sends a batch of informative notifications, answering each as
    /// ``sendInformative(_:origin:)`` would.
    ///
    /// Calls of authorities whose quota is known to be used up this hour are answered with reads
    /// only (``answerOverQuota(_:)``). The others are cut into parts in which no authority has
    /// more notifications than its quota has slots, and each part is one transaction
    /// (``sendTogether(_:)``). A part that fails, or that the batch cannot answer as the calls
    /// alone would, is sent one notification at a time, so one that fails fails alone; `logger`
    /// tells why.
    func sendInformatives(
        _ batch: [(informative: Informative, origin: CallOrigin)], logger: Logger
    ) async -> [Result<AcceptedInformative, any Error>] {
        var answers = [Result<AcceptedInformative, any Error>](
            repeating: .failure(BatchQueueError.unanswered), count: batch.count)
        let window = Self.quotaWindow(at: clock.now())
        var overQuota: [Int] = []
        var within: [Int] = []
        for index in batch.indices {
            if exhaustedQuotas.contains(batch[index].informative.authorityID, window: window) {
                overQuota.append(index)
            } else {
                within.append(index)
            }
        }
        let refused = await BatchQueue.answerEach(overQuota) { try await answerOverQuota(batch[$0].informative) }
        for (index, result) in zip(overQuota, refused) { answers[index] = result }
        let authorities = within.map { batch[$0].informative.authorityID }
        for part in Self.quotaParts(of: authorities, slots: configuration.authorityQuotaSlots) {
            let positions = part.map { within[$0] }
            let results = await send(positions.map { batch[$0] }, logger: logger)
            for (index, result) in zip(positions, results) { answers[index] = result }
        }
        return answers
    }

    /// The positions of `authorities` in parts where no authority appears more than `slots`
    /// times, in order: an authority's first `slots` notifications go to the first part, the next
    /// `slots` to the second, and so on.
    static func quotaParts(of authorities: [String], slots: Int) -> [[Int]] {
        var seen: [String: Int] = [:]
        var parts: [[Int]] = []
        for (index, authority) in authorities.enumerated() {
            let part = seen[authority, default: 0] / slots
            seen[authority, default: 0] += 1
            if part == parts.count { parts.append([]) }
            parts[part].append(index)
        }
        return parts
    }

    /// Sends one part of a batch together, or one by one when that fails.
    private func send(
        _ items: [(informative: Informative, origin: CallOrigin)], logger: Logger
    ) async -> [Result<AcceptedInformative, any Error>] {
        if items.count > 1 {
            do {
                return try await sendTogether(items).map { .success($0) }
            } catch let error as PostgresTransactionError where error.bodyError is SendOneByOne {
                logger.debug(
                    "informative notifications sent one by one",
                    metadata: ["notifications": "\(items.count)", "reason": "\(error.underlying)"])
            } catch {
                logger.warning(
                    "informative notification batch failed; sending each notification on its own",
                    metadata: ["notifications": "\(items.count)", "error": "\(error)"])
            }
        }
        return await BatchQueue.answerEach(items) { try await sendInformative($0.informative, origin: $0.origin) }
    }

    /// Accepts `items` in one transaction of four round trips: `BEGIN`; one pipeline locking each
    /// citizen and looking up each key and the citizen's keys; one pipeline reading the repeats'
    /// channels, writing the new notifications in one statement, counting them against their
    /// quotas, reading the quotas' counts (and queueing the wake-ups); `COMMIT`.
    ///
    /// Citizens are locked sorted by subject (arrival order within one), then the quota slots
    /// sorted, so parts running at once take their locks in one order. Each new notification of
    /// an authority is counted in a slot of its own, so a slot never holds more than one
    /// uncommitted count and the quota's bound (``checkQuota(used:authority:window:)``) holds as for single calls.
    /// A key repeated within the part with the same content answers its first's answer.
    ///
    /// Throws `SendOneByOne` when the answers would depend on the calls' order: a key used before
    /// (or earlier in the part) for other content, or a quota the part would pass.
    private func sendTogether(_ items: [(informative: Informative, origin: CallOrigin)]) async throws
        -> [AcceptedInformative]
    {
        let now = clock.now()
        let window = Self.quotaWindow(at: now)
        let hashes = items.map(\.informative.contentHash)
        let order = items.indices.sorted {
            (items[$0].informative.subject, $0) < (items[$1].informative.subject, $1)
        }
        return try await client.withTransaction { connection in
            let read = try await connection.pipeline(order.flatMap { index in
                [Self.lockCitizenQuery(items[index].informative.subject, at: now),
                 Self.informativeLookupQuery(items[index].informative, charge: nil)]
            })
            var plan = try Self.plan(items, hashes: hashes, order: order, read: read)
            var writes = plan.repeats.map { Self.senderStatusesQuery(of: $0.existing) }
            let authorities = plan.notices.compactMap(\.notification.authorityID)
            if !plan.notices.isEmpty {
                // The quota's slot rows last: their locks, which other batches of the authority
                // wait for, are then held for the two short statements and the commit only.
                writes.append(Self.noticesQuery(plan.notices, at: now))
                writes.append(quotaChargesQuery(authorities, window: window))
                writes.append(Self.quotaUsedQuery(Array(Set(authorities)), window: window))
            }
            let woken = plan.notices.flatMap(\.keys)
            if configuration.pushEnabled, !woken.isEmpty { writes.append(Self.wakeupsQuery(for: woken, at: now)) }
            let results = try await connection.pipeline(writes)
            for (position, repeated) in plan.repeats.enumerated() {
                plan.answers[repeated.index] = (repeated.existing, try Self.senderStatuses(results[position]))
            }
            if !plan.notices.isEmpty {
                let used = try results[plan.repeats.count + 2].decode(Int64.self)
                guard used.allSatisfy({ $0 <= Int64(configuration.authorityQuotaPerHour) }) else {
                    throw SendOneByOne(description: "an authority's quota would be passed")
                }
            }
            for (index, first) in plan.copies { plan.answers[index] = plan.answers[first] }
            return try plan.answers.map { answer in
                guard let answer else { throw BatchQueueError.unanswered }
                return answer
            }
        }
    }

    /// What a part does for each call, decided from the rows of its first pipeline.
    private struct BatchPlan {
        /// The answers known so far: the new notifications'.
        var answers: [AcceptedInformative?]
        /// Calls repeating a notification stored before, answered with its channels.
        var repeats: [(index: Int, existing: UUID)] = []
        /// Calls repeating an earlier call of the part, answered as it is.
        var copies: [(index: Int, first: Int)] = []
        /// The new notifications.
        var notices: [BatchNotice] = []
    }

    /// Decides each call of a part from `read`, the rows of its citizens' locks and key lookups in
    /// `order`; throws `SendOneByOne` for a key reused with other content.
    private static func plan(
        _ items: [(informative: Informative, origin: CallOrigin)], hashes: [[UInt8]], order: [Int],
        read: [PostgresRows]
    ) throws -> BatchPlan {
        var plan = BatchPlan(answers: Array(repeating: nil, count: items.count))
        var firstWithKey: [[String]: Int] = [:]
        for (position, index) in order.enumerated() {
            let request = items[index].informative
            let citizen = try citizen(read[position * 2])
            let (existingID, storedHash, keys) = try read[position * 2 + 1].single((UUID?, [UInt8]?, [UUID]).self)
            if let existingID {
                guard storedHash == hashes[index] else { throw SendOneByOne.keyReused }
                plan.repeats.append((index, existingID))
                continue
            }
            let key = [request.authorityID, request.idempotencyKey]
            if let first = firstWithKey[key] {
                guard hashes[first] == hashes[index] else { throw SendOneByOne.keyReused }
                plan.copies.append((index, first))
                continue
            }
            firstWithKey[key] = index
            let targets = informativeTargets(of: citizen, keys: keys)
            let notification = informativeNotice(request, contentHash: hashes[index])
            plan.notices.append(BatchNotice(
                notification: notification, targets: targets,
                audit: informativeAudit(notification, origin: items[index].origin)))
            plan.answers[index] = (notification.id, newSenderStatuses(of: targets))
        }
        return plan
    }

    /// One statement counting a notification of each of `authorities` (an authority at most
    /// `authorityQuotaSlots` times) in `window`, each of an authority's in a slot of its own,
    /// drawn at random; the slot rows are locked sorted.
    func quotaChargesQuery(_ authorities: [String], window: Date) -> PostgresQuery {
        var free: [String: [Int64]] = [:]
        var slots: [Int64] = []
        for authority in authorities {
            var pool = free[authority] ?? (0..<Int64(configuration.authorityQuotaSlots)).shuffled()
            precondition(!pool.isEmpty, "more notifications of one authority than its quota has slots")
            slots.append(pool.removeLast())
            free[authority] = pool
        }
        return """
            INSERT INTO authority_quota (authority_id, window_start, slot, used)
            SELECT charge.authority_id, \(window), charge.slot, 1
            FROM unnest(\(authorities), \(slots)) AS charge (authority_id, slot)
            ORDER BY charge.authority_id, charge.slot
            ON CONFLICT (authority_id, window_start, slot) DO UPDATE SET used = authority_quota.used + 1
            """
    }

    /// Reads the count of each of `authorities` in `window`.
    static func quotaUsedQuery(_ authorities: [String], window: Date) -> PostgresQuery {
        """
        SELECT sum(used)::bigint FROM authority_quota
        WHERE authority_id = ANY(\(authorities)) AND window_start = \(window)
        GROUP BY authority_id
        """
    }
}
