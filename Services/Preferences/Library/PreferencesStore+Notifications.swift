internal import Crypto
internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKRPC
internal import MKServiceRuntime

extension PreferencesStore {
    /// A validated informative notification.
    struct Informative: Sendable {
        var authorityID: String
        var authorityName: String
        var subject: String
        var title: String
        var body: String
        var idempotencyKey: String

        /// SHA-256 over the length-prefixed content, so "same content" is exact and unambiguous.
        var contentHash: [UInt8] {
            var hasher = SHA256()
            for field in [authorityName, subject, title, body] {
                let bytes = Array(field.utf8)
                withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
                hasher.update(data: bytes)
            }
            return Array(hasher.finalize())
        }
    }

    /// A validated sign-in notice.
    struct Login: Sendable {
        var subject: String
        var means: String
        var at: Date?
        var origin: String
        /// The deduplication key: the identity provider's or the event's id; `nil` when none.
        var dedupKey: String?
    }

    /// What the sender of an accepted informative notification gets: its id and its channels.
    typealias AcceptedInformative = (id: UUID, channels: [Mk_Preferences_V1_ChannelStatus])

    /// Accepts an informative notification: the same key and content answer the first answer,
    /// the same key with other content is ALREADY_EXISTS, a full hourly quota RESOURCE_EXHAUSTED.
    /// ``sendInformatives(_:logger:)`` accepts concurrent ones together. Once a refusal showed the
    /// quota used up this hour, the authority's calls are answered with reads only
    /// (``answerOverQuota(_:)``).
    func sendInformative(_ request: Informative, origin: CallOrigin) async throws -> AcceptedInformative {
        if exhaustedQuotas.contains(request.authorityID, window: Self.quotaWindow(at: clock.now())) {
            return try await answerOverQuota(request)
        }
        do {
            return try await sendInformativeOnce(request, origin: origin)
        } catch let error as PostgresTransactionError {
            // The same key raced in for another subject and committed first: answer as a repeat.
            guard let postgres = error.bodyError as? PostgresError, postgres.isUniqueViolation else { throw error }
            return try await sendInformativeOnce(request, origin: origin)
        }
    }

    /// The answer to a key used before for other content.
    static let idempotencyKeyReused = RPCError(
        .alreadyExists, "idempotency_key: was already used for a notification with other content",
        reason: "IDEMPOTENCY_KEY_REUSED")

    private func sendInformativeOnce(_ request: Informative, origin: CallOrigin) async throws -> AcceptedInformative {
        let now = clock.now()
        let hash = request.contentHash
        return try await client.withTransaction { connection in
            let citizen = try await lockCitizen(request.subject, at: now, on: connection)
            // A repeat of the key, the citizen's keys and, only when it is no repeat, the quota
            // slot's count (the first half of the quota check; see checkQuota(used:authority:window:)).
            let charge = quotaCharge(at: now)
            let (existingID, storedHash, keys) = try await connection.query(
                Self.informativeLookupQuery(request, charge: charge)
            ).single((UUID?, [UInt8]?, [UUID]).self)
            if let existingID {
                guard storedHash == hash else { throw Self.idempotencyKeyReused }
                return (existingID, try await senderStatuses(of: existingID, on: connection))
            }
            let targets = Self.informativeTargets(of: citizen, keys: keys)
            let notification = Self.informativeNotice(request, contentHash: hash)
            try await insert(
                notification, targets: targets, at: now, audit: Self.informativeAudit(notification, origin: origin),
                quota: charge, on: connection)
            return (notification.id, Self.newSenderStatuses(of: targets))
        }
    }

    /// Reads the notification stored before under the request's idempotency key (its id and
    /// content hash, NULL when none) and the citizen's keys taking informative notifications.
    /// With `charge`, and only when the key is new, it also counts the notification in the
    /// charge's quota slot.
    static func informativeLookupQuery(_ request: Informative, charge: QuotaCharge?) -> PostgresQuery {
        """
        WITH existing AS (
            SELECT id, content_hash FROM notification
            WHERE authority_id = \(request.authorityID) AND idempotency_key = \(request.idempotencyKey)
        ), charged AS (
            INSERT INTO authority_quota (authority_id, window_start, slot, used)
            SELECT \(request.authorityID), \(charge?.window), \(charge?.slot), 1
            WHERE NOT EXISTS (SELECT FROM existing) AND \(charge?.slot)::smallint IS NOT NULL
            ON CONFLICT (authority_id, window_start, slot) DO UPDATE SET used = authority_quota.used + 1
        )
        SELECT existing.id, existing.content_hash,
               ARRAY(SELECT device_id FROM device_setting WHERE subject = \(request.subject) AND informative
                     ORDER BY paired_at, device_id)
        FROM (VALUES (true)) AS one LEFT JOIN existing ON true
        """
    }

    /// Where an informative notification to `citizen` goes: the contacts they chose, then `keys`.
    static func informativeTargets(of citizen: Citizen, keys: [UUID]) -> [Target] {
        var targets: [Target] = []
        if citizen.emailInformative { targets.append(.email(noAddress: citizen.email.isEmpty)) }
        if citizen.smsInformative { targets.append(.sms(noAddress: citizen.phone.isEmpty)) }
        return targets + keys.map { .device($0) }
    }

    /// The notification of an informative request whose content hashes to `contentHash`.
    static func informativeNotice(_ request: Informative, contentHash: [UInt8]) -> NewNotification {
        NewNotification(
            subject: request.subject, kind: .informative, authorityID: request.authorityID,
            authorityName: request.authorityName, idempotencyKey: request.idempotencyKey, contentHash: contentHash,
            text: .informative(authority: request.authorityName, title: request.title, body: request.body))
    }

    /// The audit row of an accepted informative notification.
    static func informativeAudit(_ notification: NewNotification, origin: CallOrigin) -> NoticeAudit {
        NoticeAudit(
            action: "informative_accepted",
            detail: "notification: \(notification.id.lowercaseText), authority: \(notification.authorityID ?? "")",
            origin: origin)
    }

    /// The channels of `authorityID`'s notification `id`; NOT_FOUND for another authority's.
    func notificationStatus(_ id: UUID, authorityID: String) async throws -> [Mk_Preferences_V1_ChannelStatus] {
        try await client.withConnection { connection in
            let found = try await connection.query(
                "SELECT 1 FROM notification WHERE id = \(id) AND authority_id = \(authorityID)")
            guard !found.isEmpty else { throw PreferencesFailure.notificationNotFound }
            return try await senderStatuses(of: id, on: connection)
        }
    }

    /// Queues a sign-in notice to every key with login notices on; returns how many keys. A
    /// repeated dedup key answers the first count and queues nothing. ``notifyLogins(_:)`` notifies
    /// concurrent sign-ins together.
    func notifyLogin(_ login: Login, origin: CallOrigin) async throws -> Int {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await notifyLogin(login, at: now, origin: origin, on: connection)
        }
    }

    nonisolated(nonsending) func notifyLogin(
        _ login: Login, at now: Date, origin: CallOrigin, on connection: PostgresConnection
    ) async throws -> Int {
        _ = try await lockCitizen(login.subject, at: now, on: connection)
        let (previous, keys) = try await connection.query(Self.loginTargetsQuery([login]))
            .single((Int64?, [UUID]).self)
        if let previous { return Int(previous) }
        let targets = keys.map { Target.device($0) }
        try await insert(
            Self.loginNotice(login, at: now), targets: targets, at: now,
            audit: Self.loginAudit(login, keys: keys.count, origin: origin), on: connection)
        return targets.count
    }

    /// Reads, for each sign-in of `logins` in order, the delivery count of the previous notice
    /// with its dedup key (NULL when none or no key) and the keys to tell. The arrays hold no NULLs:
    /// a sign-in without a dedup key travels as ''.
    static func loginTargetsQuery(_ logins: [Login]) -> PostgresQuery {
        """
        SELECT (SELECT count(delivery.id) FROM notification
                LEFT JOIN delivery ON delivery.notification_id = notification.id
                WHERE notification.dedup_key = nullif(sign_in.dedup_key, '') GROUP BY notification.id),
               ARRAY(SELECT device_id FROM device_setting WHERE subject = sign_in.subject AND login
                     ORDER BY paired_at, device_id)
        FROM unnest(\(logins.map(\.subject)), \(logins.map { $0.dedupKey ?? "" }))
            WITH ORDINALITY AS sign_in (subject, dedup_key, position)
        ORDER BY sign_in.position
        """
    }

    /// The notice of a sign-in.
    static func loginNotice(_ login: Login, at now: Date) -> NewNotification {
        NewNotification(
            subject: login.subject, kind: .login, dedupKey: login.dedupKey,
            text: .login(means: login.means, at: login.at ?? now, origin: login.origin))
    }

    /// The audit row of a sign-in's notice to `keys` keys.
    static func loginAudit(_ login: Login, keys: Int, origin: CallOrigin) -> NoticeAudit {
        NoticeAudit(action: "login_notice", detail: "means: \(login.means), keys: \(keys)", origin: origin)
    }

    /// The unacknowledged messages of the citizen's key `deviceID`, oldest first.
    func inbox(of deviceID: UUID, subject: String, limit: Int) async throws -> [Mk_Preferences_V1_InboxMessage] {
        try await client.withConnection { connection in
            try await requireDevice(deviceID, of: subject, on: connection)
            let rows = try await connection.query(
                """
                SELECT delivery.id, notification.kind, notification.title, notification.body, notification.created_at,
                       notification.concerns_device_id, notification.authority_name
                FROM delivery JOIN notification ON notification.id = delivery.notification_id
                WHERE delivery.device_id = \(deviceID) AND delivery.state = 'sent'
                ORDER BY notification.created_at, delivery.id
                LIMIT \(Int64(limit))
                """)
            return try rows.decode((UUID, Int32, String, String, Date, UUID?, String).self).map { row in
                let kind = Mk_Preferences_V1_InboxKind(rawValue: row.1)
                return Mk_Preferences_V1_InboxMessage(
                    messageId: row.0.lowercaseText, kind: kind, title: row.2, body: row.3,
                    createdAtUnixMicros: UnixMicros.from(row.4), concernsDeviceId: row.5?.lowercaseText ?? "",
                    sender: kind == .informative ? row.6 : "")
            }
        }
    }

    /// Marks messages of the key's inbox read; ids of other inboxes are ignored like unknown ones.
    func acknowledge(_ messageIDs: [UUID], of deviceID: UUID, subject: String, origin: CallOrigin) async throws -> Int {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await requireDevice(deviceID, of: subject, on: connection)
            let count = try await connection.execute(
                """
                UPDATE delivery SET state = 'read', read_at = \(now)
                WHERE id = ANY(\(messageIDs)) AND device_id = \(deviceID) AND state = 'sent'
                """)
            if count > 0 {
                try await audit(
                    "inbox_acknowledged", subject: subject,
                    detail: "key: \(deviceID.lowercaseText), messages: \(count)", origin: origin, at: now,
                    on: connection)
            }
            return count
        }
    }

    /// The citizen's notices, newest first, with the real state of each channel they have.
    func notices(of subject: String, limit: Int) async throws -> [Mk_Preferences_V1_NoticeEntry] {
        try await client.withConnection { connection in
            let notices = try await connection.query(
                """
                SELECT id, kind, title, created_at FROM notification WHERE subject = \(subject)
                ORDER BY created_at DESC, id DESC LIMIT \(Int64(limit))
                """
            ).decode((UUID, Int32, String, Date).self)
            let deliveries = try await connection.query(
                """
                SELECT notification_id, channel, state FROM delivery
                WHERE notification_id = ANY(\(notices.map(\.0))) AND NOT no_address
                ORDER BY position
                """
            ).decode((UUID, Int32, String).self)
            var channels: [UUID: [Mk_Preferences_V1_ChannelStatus]] = [:]
            for (notification, channel, state) in deliveries {
                channels[notification, default: []].append(
                    Mk_Preferences_V1_ChannelStatus(
                        channel: Mk_Preferences_V1_ChannelKind(rawValue: channel), state: Self.deliveryState(state)))
            }
            return notices.map { id, kind, title, createdAt in
                Mk_Preferences_V1_NoticeEntry(
                    kind: Mk_Preferences_V1_InboxKind(rawValue: kind), title: title,
                    createdAtUnixMicros: UnixMicros.from(createdAt), channels: channels[id] ?? [])
            }
        }
    }

    /// NOT_FOUND unless `deviceID` is an active key of `subject`.
    nonisolated(nonsending) func requireDevice(_ deviceID: UUID, of subject: String, on connection: PostgresConnection)
        async throws
    {
        let found = try await connection.query(
            "SELECT 1 FROM device_setting WHERE device_id = \(deviceID) AND subject = \(subject)")
        guard !found.isEmpty else { throw PreferencesFailure.deviceNotFound }
    }
}
