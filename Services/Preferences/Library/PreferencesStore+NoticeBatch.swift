internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// A new notification of a batch: the notification, where it goes and its audit row.
    struct BatchNotice: Sendable {
        var notification: NewNotification
        var targets: [Target]
        var audit: NoticeAudit

        /// The keys among the targets, whose inboxes get the notification.
        var keys: [UUID] {
            targets.compactMap { target in if case .device(let id) = target { id } else { nil } }
        }
    }

    /// One statement writing the notifications of a batch, each with its deliveries and its audit
    /// row: the rows ``insertQuery(_:rows:at:audit:quota:)`` writes for each alone.
    static func noticesQuery(_ notices: [BatchNotice], at now: Date) -> PostgresQuery {
        var rows = DeliveryRows()
        for notice in notices { rows.append(notice.targets, of: notice.notification.id) }
        let notifications = notices.map(\.notification)
        // The arrays hold no NULLs: an absent value travels as '' and is turned back by nullif.
        return """
            WITH notice AS (
                INSERT INTO notification (id, subject, kind, authority_id, authority_name, idempotency_key,
                                          content_hash, dedup_key, title, body, sms_text, concerns_device_id,
                                          created_at)
                SELECT notice.id, notice.subject, notice.kind, nullif(notice.authority_id, ''), notice.authority_name,
                       nullif(notice.idempotency_key, ''), decode(nullif(notice.content_hash, ''), 'hex'),
                       nullif(notice.dedup_key, ''), notice.title, notice.body, notice.sms_text,
                       nullif(notice.concerns_device_id, '')::uuid, \(now)
                FROM unnest(\(notifications.map(\.id)), \(notifications.map(\.subject)),
                            \(notifications.map { Int64($0.kind.rawValue) }),
                            \(notifications.map { $0.authorityID ?? "" }),
                            \(notifications.map(\.authorityName)), \(notifications.map { $0.idempotencyKey ?? "" }),
                            \(notifications.map { $0.contentHash.map { Hex.encode($0) } ?? "" }),
                            \(notifications.map { $0.dedupKey ?? "" }), \(notifications.map(\.text.title)),
                            \(notifications.map(\.text.body)), \(notifications.map(\.text.smsText)),
                            \(notifications.map { $0.concernsDevice?.lowercaseText ?? "" }))
                    AS notice (id, subject, kind, authority_id, authority_name, idempotency_key, content_hash,
                               dedup_key, title, body, sms_text, concerns_device_id)
            ), contact AS (
                INSERT INTO delivery (id, notification_id, position, channel, no_address, state, next_attempt_at)
                SELECT target.id, target.notification_id, target.position, target.channel, target.no_address,
                       'pending', \(now)
                FROM unnest(\(rows.contactIDs), \(rows.contactNotifications), \(rows.contactPositions),
                            \(rows.contactChannels), \(rows.contactNoAddress))
                    AS target (id, notification_id, position, channel, no_address)
            ), inbox AS (
                INSERT INTO delivery (id, notification_id, position, channel, device_id, state, next_attempt_at,
                                      sent_at)
                SELECT target.id, target.notification_id, target.position,
                       \(Mk_Preferences_V1_ChannelKind.device.rawValue), target.device_id, 'sent', \(now), \(now)
                FROM unnest(\(rows.keyIDs), \(rows.keyNotifications), \(rows.keyPositions), \(rows.keys))
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
