internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKRPC
internal import MKServiceRuntime

extension RegistryStore {
    /// The subject's active keys, oldest pairing first.
    func activeDevices(of subject: String) async throws -> [DeviceRecord] {
        let rows = try await client.pipelinedQuery(
            """
            SELECT \(unsafeSQL: DeviceRecord.columns) FROM device
            WHERE subject = \(subject) AND unpaired_at IS NULL
            ORDER BY paired_at, id
            """)
        return try rows.map { row throws(PostgresError) in try DeviceRecord(row: row) }
    }

    /// One of the subject's active keys; NOT_FOUND otherwise.
    func activeDevice(_ deviceID: UUID, of subject: String) async throws -> DeviceRecord {
        let rows = try await client.pipelinedQuery(
            """
            SELECT \(unsafeSQL: DeviceRecord.columns) FROM device
            WHERE id = \(deviceID) AND subject = \(subject) AND unpaired_at IS NULL
            """)
        guard let row = rows.first else { throw RegistryFailure.deviceNotFound }
        return try DeviceRecord(row: row)
    }

    /// Renames a key; `nil` restores the default name. Returns the key and the sequence number of
    /// the DeviceRenamed event; renaming to the current name changes nothing and publishes nothing.
    func rename(_ deviceID: UUID, of subject: String, to customName: String?, origin: CallOrigin) async throws
        -> (record: DeviceRecord, event: Int64?)
    {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            var record = try await lockedActiveDevice(deviceID, of: subject, on: connection)
            guard record.customName != customName else { return (record, nil) }
            try await connection.query("UPDATE device SET custom_name = \(customName) WHERE id = \(deviceID)")
            record.customName = customName
            try await history(
                .renamed, subject: subject, deviceID: deviceID, displayName: record.displayName,
                detail: record.displayName, origin: "portal", at: now, on: connection)
            try await audit(
                "device_renamed", subject: subject, deviceID: deviceID,
                detail: customName == nil ? "default name restored" : "renamed", origin: origin, at: now,
                on: connection)
            var event = RegistryEvents.event(.deviceRenamed, subject: subject, at: now)
            var renamed = Mk_Events_V1_DeviceRenamed()
            renamed.deviceId = deviceID.lowercaseText
            renamed.displayName = record.displayName
            event.deviceRenamed = renamed
            return (record, try await publish(event, on: connection))
        }
    }

    /// The outcome of ``unpair(_:of:confirmLastMeans:reason:origin:)``.
    struct UnpairOutcome: Sendable {
        var unpaired: Bool
        var noMeansLeft: Bool
        /// The sequence number of the DeviceUnpaired event, when the key was unpaired now.
        var event: Int64?
    }

    /// Unpairs a key. FAILED_PRECONDITION "LAST_MEANS" when it is the citizen's last means and the
    /// citizen did not confirm; an already unpaired key answers `unpaired: false`.
    func unpair(
        _ deviceID: UUID,
        of subject: String,
        confirmLastMeans: Bool,
        reason: Mk_Registry_V1_UnpairReason,
        origin: CallOrigin
    ) async throws -> UnpairOutcome {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let rows = try await connection.query(
                """
                SELECT coalesce(custom_name, default_name), unpaired_at IS NOT NULL FROM device
                WHERE id = \(deviceID) AND subject = \(subject)
                FOR UPDATE
                """)
            guard let (displayName, alreadyUnpaired) = try rows.first?.decode((String, Bool).self) else {
                throw RegistryFailure.deviceNotFound
            }
            let others = try await otherMeans(of: subject, excluding: deviceID, on: connection)
            let lastMeans = others.keys == 0 && others.means == 0
            if alreadyUnpaired {
                return UnpairOutcome(unpaired: false, noMeansLeft: lastMeans)
            }
            guard !lastMeans || confirmLastMeans else {
                throw RPCError(
                    .failedPrecondition,
                    "This is the citizen's last identification means; unpairing it needs explicit confirmation.",
                    reason: "LAST_MEANS")
            }
            let reasonName = Self.reasonName(reason)
            try await connection.query(
                """
                UPDATE device SET unpaired_at = \(now), unpair_reason = \(reason.rawValue) WHERE id = \(deviceID)
                """)
            try await connection.query(
                "UPDATE challenge SET consumed_at = \(now) WHERE device_id = \(deviceID) AND consumed_at IS NULL")
            try await history(
                .unpaired, subject: subject, deviceID: deviceID, displayName: displayName, detail: reasonName,
                origin: reason == .operator ? "office" : "portal", at: now, on: connection)
            try await audit(
                "device_unpaired", subject: subject, deviceID: deviceID,
                detail: "reason: \(reasonName), no means left: \(lastMeans)", origin: origin, at: now,
                on: connection)
            var event = RegistryEvents.event(.deviceUnpaired, subject: subject, at: now)
            var unpaired = Mk_Events_V1_DeviceUnpaired()
            unpaired.deviceId = deviceID.lowercaseText
            unpaired.displayName = displayName
            unpaired.reason = reasonName
            unpaired.noMeansLeft = lastMeans
            event.deviceUnpaired = unpaired
            let sequence = try await publish(event, on: connection)
            return UnpairOutcome(unpaired: true, noMeansLeft: lastMeans, event: sequence)
        }
    }

    /// Whether unpairing the subject's active key `deviceID` would leave no means.
    func isLastMeans(_ deviceID: UUID, of subject: String) async throws -> Bool {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT 1 FROM device WHERE id = \(deviceID) AND subject = \(subject) AND unpaired_at IS NULL")
            guard !rows.isEmpty else { throw RegistryFailure.deviceNotFound }
            let others = try await otherMeans(of: subject, excluding: deviceID, on: connection)
            return others.keys == 0 && others.means == 0
        }
    }

    /// A page of the subject's history, newest first.
    func history(of subject: String, limit: Int, before: Date?) async throws -> [Mk_Registry_V1_HistoryEntry] {
        let rows = try await client.withConnection { connection in
            try await connection.query(
                """
                SELECT at, action, device_id, device_display_name, detail, origin FROM history
                WHERE subject = \(subject) AND (\(before)::timestamptz IS NULL OR at < \(before))
                ORDER BY at DESC, id DESC
                LIMIT \(Int64(limit))
                """)
        }
        return try rows.decode((Date, Int32, UUID?, String, String, String).self).map { row in
            var entry = Mk_Registry_V1_HistoryEntry()
            entry.atUnixMicros = UnixMicros.from(row.0)
            entry.action = Mk_Registry_V1_HistoryAction(rawValue: row.1)
            entry.deviceId = row.2?.lowercaseText ?? ""
            entry.deviceDisplayName = row.3
            entry.detail = row.4
            entry.origin = row.5
            return entry
        }
    }

    /// The contract name of an unpair reason ("CITIZEN", "NOT_ME", "OPERATOR").
    static func reasonName(_ reason: Mk_Registry_V1_UnpairReason) -> String {
        switch reason {
        case .notMe: "NOT_ME"
        case .operator: "OPERATOR"
        default: "CITIZEN"
        }
    }
}
