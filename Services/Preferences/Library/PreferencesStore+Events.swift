internal import Foundation
internal import Logging
internal import MKEvents
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// Applies one event in its own transaction, at most once per event id. Returns whether it
    /// was new. Events that cannot mean anything (malformed, unknown type) are recorded as applied
    /// without effect and logged, so one bad event cannot stop the producer's queue.
    ///
    /// A SignedIn event has no effect here (see below) and is acknowledged without a transaction:
    /// the registry relays one for every sign-in, and recording each id would cost a durable
    /// commit per sign-in for nothing. It is never counted as applied.
    func apply(_ event: Mk_Events_V1_Event, logger: Logger) async throws -> Bool {
        guard let eventID = UUID(uuidString: event.eventId) else {
            logger.warning("event without a UUID id ignored", metadata: ["producer": "\(event.producer)"])
            return false
        }
        // The identity provider's hook calls NotifyLogin itself (deduplicated by the provider's
        // event id); noticing the registry's echo of the same sign-in too would tell the citizen twice.
        if event.type == .signedIn, event.signedIn != nil { return false }
        let now = clock.now()
        let origin = CallOrigin(service: event.producer.isEmpty ? "event" : String(event.producer.prefix(64)))
        return try await client.withTransaction { connection in
            guard
                try await EventInbox.applyOnce(
                    eventID: eventID, producer: String(event.producer.prefix(64)), on: connection)
            else { return false }
            guard (try? RequestValidation.subject(event.subject)) != nil else {
                logger.warning("event with an invalid subject ignored", metadata: ["event-id": "\(eventID)"])
                return true
            }
            let occurred = event.occurredAtUnixMicros > 0 ? UnixMicros.date(event.occurredAtUnixMicros) : now
            switch (event.type, event.devicePaired, event.deviceRenamed, event.deviceUnpaired, event.signedIn, event.bokOutcome) {
            case (.devicePaired, let paired?, _, _, _, _):
                guard let device = UUID(uuidString: paired.deviceId) else { break }
                try await devicePaired(
                    device, name: paired.displayName, platform: paired.platform, subject: event.subject, at: occurred,
                    now: now, origin: origin, on: connection)
            case (.deviceRenamed, _, let renamed?, _, _, _):
                guard let device = UUID(uuidString: renamed.deviceId) else { break }
                try await connection.query(
                    """
                    UPDATE device_setting SET display_name = \(String(renamed.displayName.prefix(200))), name_at = \(occurred)
                    WHERE device_id = \(device) AND subject = \(event.subject) AND name_at < \(occurred)
                    """)
            case (.deviceUnpaired, _, _, let unpaired?, _, _):
                guard let device = UUID(uuidString: unpaired.deviceId) else { break }
                try await deviceUnpaired(
                    device, unpaired: unpaired, subject: event.subject, at: occurred, now: now, origin: origin,
                    on: connection)
            case (.bokOutcome, _, _, _, _, let outcome?):
                try await bokReceipt(outcome, subject: event.subject, at: occurred, now: now, origin: origin, on: connection)
            default:
                logger.warning(
                    "event of an unknown type or without its payload ignored",
                    metadata: ["event-id": "\(eventID)", "type": "\(event.type.rawValue)"])
            }
            return true
        }
    }

    /// Default settings for a new key (unless it was already unpaired: a late or repeated
    /// pairing never brings a key back) and the independent notice to every other channel. The
    /// platform is kept for the key's push wake-ups ("ANDROID", "IOS"; anything else as unknown).
    private nonisolated(nonsending) func devicePaired(
        _ device: UUID, name: String, platform: String, subject: String, at occurred: Date, now: Date,
        origin: CallOrigin, on connection: PostgresConnection
    ) async throws {
        let citizen = try await lockCitizen(subject, at: now, on: connection)
        let displayName = String(name.prefix(200))
        let knownPlatform = (PushPlatform(rawValue: platform) ?? .unknown).rawValue
        let created = try await connection.execute(
            """
            INSERT INTO device_setting (device_id, subject, display_name, name_at, informative, login, bok_pad, paired_at,
                                        platform)
            SELECT \(device), \(subject), \(displayName), \(occurred), true, true, true, \(occurred), \(knownPlatform)
            WHERE NOT EXISTS (SELECT 1 FROM unpaired_device WHERE device_id = \(device))
            ON CONFLICT (device_id) DO NOTHING
            """)
        if created > 0 {
            try await bumpVersion(subject, at: now, on: connection)
            try await audit(
                "device_settings_created", subject: subject, detail: "key: \(device.lowercaseText)",
                origin: origin, at: now, on: connection)
        }
        let targets = try await everyChannel(of: subject, citizen: citizen, excluding: device, on: connection)
        let notice = NewNotification(
            subject: subject, kind: .security, text: .paired(deviceName: displayName, at: occurred),
            concernsDevice: device)
        try await insert(notice, targets: targets, at: now, on: connection)
    }

    /// Removes the key's settings and inbox, remembers it as unpaired, and notifies the rest.
    private nonisolated(nonsending) func deviceUnpaired(
        _ device: UUID, unpaired: Mk_Events_V1_DeviceUnpaired, subject: String, at occurred: Date, now: Date,
        origin: CallOrigin, on connection: PostgresConnection
    ) async throws {
        let citizen = try await lockCitizen(subject, at: now, on: connection)
        try await connection.query(
            """
            INSERT INTO unpaired_device (device_id, subject, unpaired_at) VALUES (\(device), \(subject), \(occurred))
            ON CONFLICT (device_id) DO NOTHING
            """)
        let removed = try await connection.execute(
            "DELETE FROM device_setting WHERE device_id = \(device) AND subject = \(subject)")
        // The inbox goes; the delivery rows stay (detached) so senders' statuses do not change.
        try await connection.query("UPDATE delivery SET device_id = NULL WHERE device_id = \(device)")
        if removed > 0 {
            try await bumpVersion(subject, at: now, on: connection)
        }
        try await audit(
            "device_settings_removed", subject: subject,
            detail: "key: \(device.lowercaseText), reason: \(unpaired.reason.prefix(32))", origin: origin,
            at: now, on: connection)
        let targets = try await everyChannel(of: subject, citizen: citizen, excluding: device, on: connection)
        let notice = NewNotification(
            subject: subject, kind: .security,
            text: .unpaired(
                deviceName: String(unpaired.displayName.prefix(200)), at: occurred, noMeansLeft: unpaired.noMeansLeft),
            concernsDevice: device)
        try await insert(notice, targets: targets, at: now, on: connection)
    }

    /// A BOK receipt to every key; changes of the BOK itself (blocked, unblocked, set, cleared)
    /// also to the contacts the citizen has.
    private nonisolated(nonsending) func bokReceipt(
        _ outcome: Mk_Events_V1_BokOutcome, subject: String, at occurred: Date, now: Date, origin: CallOrigin,
        on connection: PostgresConnection
    ) async throws {
        let citizen = try await lockCitizen(subject, at: now, on: connection)
        var targets = try await everyChannel(of: subject, citizen: citizen, excluding: nil, on: connection)
        if outcome.result == .started {
            // Only the keys that may answer are told a prompt waits.
            let bokPad = Set(try await devices(of: subject, on: connection).filter(\.bokPad).map(\.deviceId))
            targets.removeAll { if case .device(let id) = $0 { !bokPad.contains(id.lowercaseText) } else { true } }
        } else if ![.blocked, .unblocked, .set, .cleared].contains(outcome.result) {
            targets.removeAll { if case .device = $0 { false } else { true } }
        }
        let notice = NewNotification(
            subject: subject, kind: .bok, text: .bok(outcome, at: occurred),
            concernsDevice: UUID(uuidString: outcome.deviceId))
        try await insert(notice, targets: targets, at: now, on: connection)
        try await audit(
            "bok_receipt", subject: subject, detail: "result: \(outcome.result.rawValue), channels: \(targets.count)",
            origin: origin, at: now, on: connection)
    }
}
