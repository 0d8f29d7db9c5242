import MKMessages
import MKPostgres

extension PreferencesFixture {
    /// The citizen's notifications of `kind` with their deliveries and `auditAction` audit rows as
    /// text, without what differs between citizens: ids (in an audit detail the notification's id
    /// reads `ID`), subject, keys, the idempotency key, the dedup key past its prefix, the content
    /// hash past its length and the trace id. A batch must write what a call alone writes.
    func noticeRows(of subject: String, kind: Mk_Preferences_V1_InboxKind, auditAction: String) async throws
        -> [String]
    {
        try await database.query(
            """
            SELECT concat_ws(' | ', notification.kind, split_part(notification.dedup_key, ':', 1),
                             notification.title, notification.body, notification.sms_text, notification.authority_id,
                             notification.authority_name, notification.idempotency_key IS NULL,
                             coalesce(length(notification.content_hash), 0), notification.concerns_device_id IS NULL,
                             notification.created_at,
                             (SELECT string_agg(concat_ws(':', delivery.position, delivery.channel, delivery.state,
                                                          delivery.no_address, delivery.attempts,
                                                          delivery.next_attempt_at, delivery.sent_at,
                                                          delivery.device_id = setting.device_id), ', '
                                                ORDER BY delivery.position)
                              FROM delivery LEFT JOIN device_setting AS setting
                                ON setting.device_id = delivery.device_id AND setting.subject = notification.subject
                              WHERE delivery.notification_id = notification.id),
                             (SELECT string_agg(concat_ws(':', audit.at, audit.action,
                                                          replace(audit.detail, notification.id::text, 'ID'),
                                                          audit.caller), ', ')
                              FROM audit
                              WHERE audit.subject = notification.subject AND audit.action = \(auditAction)))
            FROM notification
            WHERE notification.subject = \(subject) AND notification.kind = \(kind.rawValue)
            """
        ).decode(String.self)
    }
}
