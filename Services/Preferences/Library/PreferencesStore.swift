internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

/// The service's data access: every operation is one transaction on the service's schema, with
/// the time taken once from the injected clock and passed in as a parameter (never `now()`).
struct PreferencesStore: Sendable {
    let client: PostgresClient
    let clock: any WallClock
    let configuration: PreferencesConfiguration
    /// The authorities whose quota is known to be used up this hour.
    let exhaustedQuotas = ExhaustedQuotas()

    /// A citizen's row as locked by ``lockCitizen(_:at:on:)``.
    struct Citizen: Sendable {
        var email: String
        var phone: String
        var emailInformative: Bool
        var smsInformative: Bool
        var version: Int64
    }

    /// Where one delivery of a new notification goes.
    enum Target: Sendable, Equatable {
        /// The notification e-mail; `noAddress` when the citizen has none (processed, never sent).
        case email(noAddress: Bool)
        /// The phone; `noAddress` when the citizen has none.
        case sms(noAddress: Bool)
        /// A key's inbox.
        case device(UUID)
    }

    /// A notification about to be written.
    struct NewNotification: Sendable {
        var id = UUID.random()
        var subject: String
        var kind: Mk_Preferences_V1_InboxKind
        var authorityID: String?
        var authorityName = ""
        var idempotencyKey: String?
        var contentHash: [UInt8]?
        var dedupKey: String?
        var text: NoticeText
        var concernsDevice: UUID?
    }

    /// Locks (creating with defaults if needed) the citizen's row. Every mutating transaction of a
    /// citizen calls this first, so their changes are serialized.
    nonisolated(nonsending) func lockCitizen(_ subject: String, at now: Date, on connection: PostgresConnection)
        async throws -> Citizen
    {
        try Self.citizen(try await connection.query(Self.lockCitizenQuery(subject, at: now)))
    }

    /// The statement of ``lockCitizen(_:at:on:)``.
    static func lockCitizenQuery(_ subject: String, at now: Date) -> PostgresQuery {
        """
        INSERT INTO citizen (subject, updated_at) VALUES (\(subject), \(now))
        ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
        RETURNING email, phone, email_informative, sms_informative, version
        """
    }

    /// One statement locking (creating with defaults if needed) the rows of `subjects`, in their
    /// order, as ``lockCitizenQuery(_:at:)`` locks each; a subject listed twice is locked once.
    static func lockCitizensQuery(_ subjects: [String], at now: Date) -> PostgresQuery {
        var seen = Set<String>()
        let distinct = subjects.filter { seen.insert($0).inserted }
        return """
            INSERT INTO citizen (subject, updated_at)
            SELECT citizen.subject, \(now) FROM unnest(\(distinct)) WITH ORDINALITY AS citizen (subject, position)
            ORDER BY citizen.position
            ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
            """
    }

    /// Decodes the row of ``lockCitizenQuery(_:at:)``.
    static func citizen(_ rows: PostgresRows) throws -> Citizen {
        let row = try rows.single((String, String, Bool, Bool, Int64).self)
        return Citizen(email: row.0, phone: row.1, emailInformative: row.2, smsInformative: row.3, version: row.4)
    }

    /// Increases the citizen's grid version (a key came or went, contacts changed).
    nonisolated(nonsending) func bumpVersion(_ subject: String, at now: Date, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            "UPDATE citizen SET version = version + 1, updated_at = \(now) WHERE subject = \(subject)")
    }

    /// Writes an audit row; `detail` must never hold a contact, a text or a token.
    nonisolated(nonsending) func audit(
        _ action: String, subject: String, detail: String, origin: CallOrigin, at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO audit (at, subject, action, detail, caller, trace_id)
            VALUES (\(now), \(subject), \(action), \(detail), \(origin.caller), \(origin.traceID))
            """)
    }

    /// The citizen's active keys, in pairing order, with their switches.
    nonisolated(nonsending) func devices(of subject: String, on connection: PostgresConnection) async throws
        -> [Mk_Preferences_V1_DeviceSetting]
    {
        try Self.deviceSettings(try await connection.query(Self.deviceSettingsQuery(of: subject)))
    }

    /// The statement behind ``devices(of:on:)``.
    static func deviceSettingsQuery(of subject: String) -> PostgresQuery {
        """
        SELECT device_id, informative, login, bok_pad, display_name FROM device_setting
        WHERE subject = \(subject) ORDER BY paired_at, device_id
        """
    }

    /// Decodes the rows of ``deviceSettingsQuery(of:)``.
    static func deviceSettings(_ rows: PostgresRows) throws -> [Mk_Preferences_V1_DeviceSetting] {
        try rows.decode((UUID, Bool, Bool, Bool, String).self).map { row in
            Mk_Preferences_V1_DeviceSetting(
                deviceId: row.0.lowercaseText, informative: row.1, login: row.2, bokPad: row.3, displayName: row.4)
        }
    }

    /// The security-notice targets: every contact the citizen has and every key but `excluded`,
    /// whatever the switches say.
    nonisolated(nonsending) func everyChannel(
        of subject: String, citizen: Citizen, excluding excluded: UUID?, on connection: PostgresConnection
    ) async throws -> [Target] {
        var targets: [Target] = []
        if !citizen.email.isEmpty { targets.append(.email(noAddress: false)) }
        if !citizen.phone.isEmpty { targets.append(.sms(noAddress: false)) }
        for device in try await devices(of: subject, on: connection) {
            guard let id = UUID(uuidString: device.deviceId), id != excluded else { continue }
            targets.append(.device(id))
        }
        return targets
    }

    /// A notification's channels as its sender may see them. A contact channel shows PENDING
    /// until the worker is done with it and SENT afterwards — whether it was delivered, refused,
    /// or the citizen has no such contact — so the sender never learns whether the citizen has an
    /// e-mail or phone. Keys show their real state, numbered, not identified.
    nonisolated(nonsending) func senderStatuses(of notification: UUID, on connection: PostgresConnection)
        async throws -> [Mk_Preferences_V1_ChannelStatus]
    {
        try Self.senderStatuses(try await connection.query(Self.senderStatusesQuery(of: notification)))
    }

    /// The statement of ``senderStatuses(of:on:)``.
    static func senderStatusesQuery(of notification: UUID) -> PostgresQuery {
        "SELECT channel, state FROM delivery WHERE notification_id = \(notification) ORDER BY position"
    }

    /// Decodes the rows of ``senderStatusesQuery(of:)`` as the sender may see them.
    static func senderStatuses(_ rows: PostgresRows) throws -> [Mk_Preferences_V1_ChannelStatus] {
        try rows.decode((Int32, String).self).map { channelValue, state in
            let channel = Mk_Preferences_V1_ChannelKind(rawValue: channelValue)
            let visible: Mk_Preferences_V1_DeliveryState
            if state == "pending" {
                visible = .pending
            } else if channel == .device {
                visible = Self.deliveryState(state)
            } else {
                visible = .sent
            }
            return Mk_Preferences_V1_ChannelStatus(channel: channel, state: visible)
        }
    }

    /// The contract state of a stored delivery state.
    static func deliveryState(_ state: String) -> Mk_Preferences_V1_DeliveryState {
        switch state {
        case "pending": .pending
        case "sent": .sent
        case "failed": .failed
        case "read": .read
        default: .unspecified
        }
    }
}
