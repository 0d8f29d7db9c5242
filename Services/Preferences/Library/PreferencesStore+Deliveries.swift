internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// An audit row written in the same statement as a notification.
    struct NoticeAudit: Sendable {
        var action: String
        /// Never a contact, a text or a token (see ``audit(_:subject:detail:origin:at:on:)``).
        var detail: String
        var origin: CallOrigin
    }

    /// The delivery rows of new notifications as the columns of one multi-row insert: contact
    /// rows (waiting for the worker) and key rows (in the key's inbox at once), each with its
    /// notification and its position among that notification's targets.
    struct DeliveryRows: Sendable, Equatable {
        var contactIDs: [UUID] = []
        var contactNotifications: [UUID] = []
        var contactPositions: [Int64] = []
        var contactChannels: [Int64] = []
        /// Whether the citizen lacks the contact of the row (processed, never sent).
        var contactNoAddress: [Bool] = []
        var keyIDs: [UUID] = []
        var keyNotifications: [UUID] = []
        var keyPositions: [Int64] = []
        var keys: [UUID] = []

        /// No rows yet.
        init() {}

        /// The rows of `notification` going to `targets`.
        init(_ targets: [Target], of notification: UUID) {
            append(targets, of: notification)
        }

        /// Adds the rows of `notification` going to `targets`.
        mutating func append(_ targets: [Target], of notification: UUID) {
            for (index, target) in targets.enumerated() {
                let position = Int64(index)
                switch target {
                case .email(let missing), .sms(let missing):
                    let channel: Mk_Preferences_V1_ChannelKind = if case .email = target { .email } else { .sms }
                    contactIDs.append(UUID.random())
                    contactNotifications.append(notification)
                    contactPositions.append(position)
                    contactChannels.append(Int64(channel.rawValue))
                    contactNoAddress.append(missing)
                case .device(let id):
                    keyIDs.append(UUID.random())
                    keyNotifications.append(notification)
                    keyPositions.append(position)
                    keys.append(id)
                }
            }
        }
    }

    /// Writes `notification`, one delivery per target and, when given, its audit row, in one
    /// statement. Contact deliveries wait for the worker; a key's delivery is its inbox entry, in
    /// place as soon as this commits, and with push on it queues a wake-up for the key.
    ///
    /// With `quota` (the charge an earlier statement of this transaction made for the notification)
    /// the same statement also reads the count of the charge's hour, which ``checkQuota(used:authority:window:)``
    /// judges: the second half of the quota check, without a statement of its own.
    nonisolated(nonsending) func insert(
        _ notification: NewNotification, targets: [Target], at now: Date, audit: NoticeAudit? = nil,
        quota: QuotaCharge? = nil, on connection: PostgresConnection
    ) async throws {
        let rows = DeliveryRows(targets, of: notification.id)
        let used = try await connection.query(
            Self.insertQuery(notification, rows: rows, at: now, audit: audit, quota: quota)
        ).single(Int64?.self)
        if let quota {
            try checkQuota(used: used ?? 0, authority: notification.authorityID ?? "", window: quota.window)
        }
        if configuration.pushEnabled, !rows.keys.isEmpty {
            try await queueWakeups(for: rows.keys, at: now, on: connection)
        }
    }

    /// The statement of ``insert(_:targets:at:audit:quota:on:)``; its one row is the quota count.
    static func insertQuery(
        _ notification: NewNotification, rows: DeliveryRows, at now: Date, audit: NoticeAudit?, quota: QuotaCharge?
    ) -> PostgresQuery {
        return """
            WITH notice AS (
                INSERT INTO notification (id, subject, kind, authority_id, authority_name, idempotency_key, content_hash,
                                          dedup_key, title, body, sms_text, concerns_device_id, created_at)
                VALUES (\(notification.id), \(notification.subject), \(notification.kind.rawValue),
                        \(notification.authorityID), \(notification.authorityName), \(notification.idempotencyKey),
                        \(notification.contentHash), \(notification.dedupKey), \(notification.text.title),
                        \(notification.text.body), \(notification.text.smsText), \(notification.concernsDevice), \(now))
                RETURNING id
            ), contact AS (
                INSERT INTO delivery (id, notification_id, position, channel, no_address, state, next_attempt_at)
                SELECT target.id, notice.id, target.position, target.channel, target.no_address, 'pending', \(now)
                FROM notice, unnest(\(rows.contactIDs), \(rows.contactPositions), \(rows.contactChannels),
                                    \(rows.contactNoAddress))
                    AS target (id, position, channel, no_address)
            ), inbox AS (
                INSERT INTO delivery (id, notification_id, position, channel, device_id, state, next_attempt_at, sent_at)
                SELECT target.id, notice.id, target.position, \(Mk_Preferences_V1_ChannelKind.device.rawValue),
                       target.device_id, 'sent', \(now), \(now)
                FROM notice, unnest(\(rows.keyIDs), \(rows.keyPositions), \(rows.keys)) AS target (id, position, device_id)
            ), audited AS (
                INSERT INTO audit (at, subject, action, detail, caller, trace_id)
                SELECT \(now), \(notification.subject), \(audit?.action), \(audit?.detail ?? ""),
                       \(audit?.origin.caller ?? ""), \(audit?.origin.traceID ?? "")
                WHERE \(audit?.action)::text IS NOT NULL
            )
            SELECT sum(used)::bigint FROM authority_quota
            WHERE authority_id = \(notification.authorityID) AND window_start = \(quota?.window)
            """
    }

    /// What the sender of a notification just written for `targets` sees (as
    /// ``senderStatuses(of:on:)`` would read it back): contacts PENDING, keys SENT, in target order.
    static func newSenderStatuses(of targets: [Target]) -> [Mk_Preferences_V1_ChannelStatus] {
        targets.map { target in
            switch target {
            case .email: Mk_Preferences_V1_ChannelStatus(channel: .email, state: .pending)
            case .sms: Mk_Preferences_V1_ChannelStatus(channel: .sms, state: .pending)
            case .device: Mk_Preferences_V1_ChannelStatus(channel: .device, state: .sent)
            }
        }
    }
}
