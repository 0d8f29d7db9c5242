internal import Foundation
internal import Logging
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// A new sign-in notice of a batch: the notification, the keys it goes to and its audit row.
    struct LoginNotice: Sendable {
        var notification: NewNotification
        var keys: [UUID]
        var audit: NoticeAudit
    }

    /// Notifies a batch of sign-ins, answering each as ``notifyLogin(_:origin:)`` would, in one
    /// transaction of four round trips: `BEGIN`, one pipeline locking each citizen and reading
    /// their keys, one writing the new notices in one statement (and their wake-ups), `COMMIT`.
    ///
    /// Citizens are locked sorted by subject (arrival order within one), so batches running at once
    /// lock them in one order; a dedup key repeated within the batch answers its first's count.
    /// When the batch fails, each sign-in is notified on its own, so one that fails fails alone;
    /// `logger` tells why the batch failed.
    func notifyLogins(
        _ batch: [(login: Login, origin: CallOrigin)], logger: Logger
    ) async -> [Result<Int, any Error>] {
        if batch.count > 1 {
            let now = clock.now()
            let order = batch.indices.sorted { (batch[$0].login.subject, $0) < (batch[$1].login.subject, $1) }
            do {
                let counts = try await client.withTransaction { connection in
                    let read = try await connection.pipeline(order.flatMap { index in
                        [Self.lockCitizenQuery(batch[index].login.subject, at: now),
                         Self.loginTargetsQuery(batch[index].login)]
                    })
                    var counts = [Int](repeating: 0, count: batch.count)
                    var firstWithKey: [String: Int] = [:]
                    var repeats: [(index: Int, first: Int)] = []
                    var notices: [LoginNotice] = []
                    for (position, index) in order.enumerated() {
                        let (previous, keys) = try read[position * 2 + 1].single((Int64?, [UUID]).self)
                        if let previous {
                            counts[index] = Int(previous)
                            continue
                        }
                        let login = batch[index].login
                        if let key = login.dedupKey {
                            if let first = firstWithKey[key] {
                                repeats.append((index, first))
                                continue
                            }
                            firstWithKey[key] = index
                        }
                        counts[index] = keys.count
                        notices.append(LoginNotice(
                            notification: Self.loginNotice(login, at: now), keys: keys,
                            audit: Self.loginAudit(login, keys: keys.count, origin: batch[index].origin)))
                    }
                    for (index, first) in repeats { counts[index] = counts[first] }
                    var writes: [PostgresQuery] = []
                    if !notices.isEmpty { writes.append(Self.loginNoticesQuery(notices, at: now)) }
                    let woken = notices.flatMap(\.keys)
                    if configuration.pushEnabled, !woken.isEmpty {
                        writes.append(Self.wakeupsQuery(for: woken, at: now))
                    }
                    try await connection.pipeline(writes)
                    return counts
                }
                return counts.map { .success($0) }
            } catch {
                logger.warning(
                    "sign-in notice batch failed; notifying each sign-in on its own",
                    metadata: ["sign-ins": "\(batch.count)", "error": "\(error)"])
            }
        }
        return await BatchQueue.answerEach(batch) { try await notifyLogin($0.login, origin: $0.origin) }
    }

    /// One statement writing the notices of a batch: each notification, one inbox row per key
    /// (`sent` at once, as ``insertQuery(_:rows:at:audit:quota:)`` writes them) and its audit row.
    static func loginNoticesQuery(_ notices: [LoginNotice], at now: Date) -> PostgresQuery {
        var deliveryIDs: [UUID] = []
        var deliveryNotices: [UUID] = []
        var positions: [Int64] = []
        var devices: [UUID] = []
        for notice in notices {
            for (position, key) in notice.keys.enumerated() {
                deliveryIDs.append(UUID())
                deliveryNotices.append(notice.notification.id)
                positions.append(Int64(position))
                devices.append(key)
            }
        }
        let notifications = notices.map(\.notification)
        return """
            WITH notice AS (
                INSERT INTO notification (id, subject, kind, dedup_key, title, body, sms_text, created_at)
                SELECT notice.id, notice.subject, \(Mk_Preferences_V1_InboxKind.login.rawValue),
                       nullif(notice.dedup_key, ''), notice.title, notice.body, notice.sms_text, \(now)
                FROM unnest(\(notifications.map(\.id)), \(notifications.map(\.subject)),
                            \(notifications.map { $0.dedupKey ?? "" }), \(notifications.map(\.text.title)),
                            \(notifications.map(\.text.body)), \(notifications.map(\.text.smsText)))
                    AS notice (id, subject, dedup_key, title, body, sms_text)
            ), inbox AS (
                INSERT INTO delivery (id, notification_id, position, channel, device_id, state, next_attempt_at, sent_at)
                SELECT target.id, target.notification_id, target.position,
                       \(Mk_Preferences_V1_ChannelKind.device.rawValue), target.device_id, 'sent', \(now), \(now)
                FROM unnest(\(deliveryIDs), \(deliveryNotices), \(positions), \(devices))
                    AS target (id, notification_id, position, device_id)
            )
            INSERT INTO audit (at, subject, action, detail, caller, trace_id)
            SELECT \(now), audit.subject, audit.action, audit.detail, audit.caller, audit.trace_id
            FROM unnest(\(notifications.map(\.subject)), \(notices.map(\.audit.action)), \(notices.map(\.audit.detail)),
                        \(notices.map(\.audit.origin.caller)), \(notices.map(\.audit.origin.traceID)))
                AS audit (subject, action, detail, caller, trace_id)
            """
    }
}
