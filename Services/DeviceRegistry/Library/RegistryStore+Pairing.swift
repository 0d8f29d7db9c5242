internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKRPC
internal import MKServiceRuntime

extension RegistryStore {
    /// How long an activation code works.
    static let pairingLifetime: TimeInterval = 4 * 60
    /// Wrong redemption attempts after which a code is dead.
    static let maximumFailedAttempts = 5
    /// Live codes a citizen may hold at once.
    static let maximumLiveCodes = 3

    /// A newly issued pairing session.
    struct IssuedPairing: Sendable {
        var id: UUID
        var code: ActivationCode
        var expiresAt: Date
    }

    /// Issues an activation code for `subject`; RESOURCE_EXHAUSTED when three are live already.
    func startPairing(subject: String, origin: CallOrigin) async throws -> IssuedPairing {
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(Self.pairingLifetime)
        return try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let live = try await connection.query(
                """
                SELECT count(*) FROM pairing
                WHERE subject = \(subject) AND state = 'pending' AND expires_at > \(now)
                """
            ).single(Int64.self)
            guard live < Self.maximumLiveCodes else {
                throw RPCError(
                    .resourceExhausted,
                    "At most \(Self.maximumLiveCodes) activation codes may be live at once; use one or wait for one to expire.",
                    reason: "TOO_MANY_LIVE_CODES")
            }
            let code = try await unusedCode(at: now, on: connection)
            let id = UUID.random()
            try await connection.query(
                """
                INSERT INTO pairing (id, subject, lookup_prefix, code_hash, created_at, expires_at, state)
                VALUES (\(id), \(subject), \(code.lookupPrefix), \(code.hash), \(now), \(expiresAt), 'pending')
                """)
            try await audit("pairing_started", subject: subject, pairingID: id, origin: origin, at: now, on: connection)
            return IssuedPairing(id: id, code: code, expiresAt: expiresAt)
        }
    }

    /// A fresh code whose lookup prefix no live session uses (a rare race can still share one;
    /// redemption then checks every session with the prefix).
    private nonisolated(nonsending) func unusedCode(at now: Date, on connection: PostgresConnection) async throws -> ActivationCode {
        var code = ActivationCode.generate()
        for _ in 0..<8 {
            let taken = try await connection.query(
                """
                SELECT count(*) FROM pairing
                WHERE lookup_prefix = \(code.lookupPrefix) AND state = 'pending' AND expires_at > \(now)
                """
            ).single(Int64.self)
            if taken == 0 { break }
            code = ActivationCode.generate()
        }
        return code
    }

    /// The state of one of `subject`'s pairing sessions; NOT_FOUND for another citizen's.
    func pairing(_ id: UUID, of subject: String) async throws -> Mk_Registry_V1_GetPairingResponse {
        let now = clock.now()
        let rows = try await client.withConnection { connection in
            try await connection.query(
                "SELECT state, expires_at, device_id FROM pairing WHERE id = \(id) AND subject = \(subject)")
        }
        guard let (state, expiresAt, deviceID) = try rows.first?.decode((String, Date, UUID?).self) else {
            throw RPCError(.notFound, "No such pairing.")
        }
        var response = Mk_Registry_V1_GetPairingResponse()
        response.expiresAtUnixMicros = UnixMicros.from(expiresAt)
        switch state {
        case "completed":
            response.state = .completed
            response.deviceId = deviceID?.lowercaseText ?? ""
        case "pending" where expiresAt > now:
            response.state = .pending
        default:
            response.state = .expired
        }
        return response
    }

    /// What the app registers when it redeems a code, already validated.
    struct NewDevice: Sendable {
        var deviceName: String
        var model: String
        var platform: Mk_Registry_V1_Platform
        var appVersion: String
        var publicKey: DeviceKey
        var pushToken: String
    }

    private enum Redemption {
        case paired(DeviceRecord, event: Int64)
        case rejected
    }

    /// Redeems `code`: creates the key and returns it with the sequence number of its DevicePaired
    /// event, or answers NOT_FOUND for a wrong, used, dead or expired code (a wrong code counts
    /// against the session its prefix names, and the count is kept).
    func completePairing(code: ActivationCode, device: NewDevice, origin: CallOrigin) async throws
        -> (record: DeviceRecord, event: Int64)
    {
        let now = clock.now()
        let outcome: Redemption = try await client.withTransaction { connection in
            let subjects = try await connection.query(
                """
                SELECT DISTINCT subject FROM pairing
                WHERE lookup_prefix = \(code.lookupPrefix) AND state = 'pending' AND expires_at > \(now)
                ORDER BY subject
                """
            ).decode(String.self)
            guard !subjects.isEmpty else { return .rejected }
            // Subject rows first, then pairing rows: the same lock order as every other change.
            for subject in subjects {
                try await lockSubject(subject, at: now, on: connection)
            }
            let sessions = try await connection.query(
                """
                SELECT id, subject, code_hash FROM pairing
                WHERE lookup_prefix = \(code.lookupPrefix) AND state = 'pending' AND expires_at > \(now)
                ORDER BY id
                FOR UPDATE
                """
            ).decode((UUID, String, [UInt8]).self)
            let hash = code.hash
            guard let (pairingID, subject, _) = sessions.first(where: { Self.constantTimeEqual($0.2, hash) }) else {
                for (pairingID, subject, _) in sessions {
                    try await recordFailedAttempt(pairingID, subject: subject, origin: origin, at: now, on: connection)
                }
                return .rejected
            }
            let (record, event) = try await createDevice(
                device, subject: subject, pairingID: pairingID, origin: origin, at: now, on: connection)
            return .paired(record, event: event)
        }
        guard case .paired(let record, let event) = outcome else {
            throw RPCError(.notFound, "The activation code is wrong, used or expired.")
        }
        return (record, event)
    }

    private nonisolated(nonsending) func recordFailedAttempt(
        _ pairingID: UUID, subject: String, origin: CallOrigin, at now: Date, on connection: PostgresConnection
    ) async throws {
        let attempts = try await connection.query(
            """
            UPDATE pairing
            SET failed_attempts = failed_attempts + 1,
                state = CASE WHEN failed_attempts + 1 >= \(Self.maximumFailedAttempts) THEN 'dead' ELSE state END
            WHERE id = \(pairingID)
            RETURNING failed_attempts
            """
        ).single(Int32.self)
        try await audit(
            "pairing_attempt_failed", subject: subject, pairingID: pairingID,
            detail: "failed attempts: \(attempts)", origin: origin, at: now, on: connection)
    }

    private nonisolated(nonsending) func createDevice(
        _ device: NewDevice,
        subject: String,
        pairingID: UUID,
        origin: CallOrigin,
        at now: Date,
        on connection: PostgresConnection
    ) async throws -> (DeviceRecord, event: Int64) {
        let activeNames = try await connection.query(
            "SELECT coalesce(custom_name, default_name) FROM device WHERE subject = \(subject) AND unpaired_at IS NULL"
        ).decode(String.self)
        guard activeNames.count < maximumActiveKeys else {
            throw RPCError(
                .failedPrecondition,
                "The citizen already has \(maximumActiveKeys) mobile keys, the most allowed; disconnect one first.",
                reason: "TOO_MANY_KEYS")
        }
        let defaultName = Self.distinctDefaultName(
            "\(device.deviceName) (\(device.model))", taken: Set(activeNames.map { $0.lowercased() }))
        let deviceID = UUID.random()
        let rows = try await connection.query(
            """
            INSERT INTO device (id, subject, device_name, model, platform, app_version, public_key, push_token,
                                default_name, paired_at)
            VALUES (\(deviceID), \(subject), \(device.deviceName), \(device.model), \(device.platform.rawValue),
                    \(device.appVersion), \(device.publicKey.x963), \(device.pushToken), \(defaultName), \(now))
            RETURNING \(unsafeSQL: DeviceRecord.columns)
            """)
        let record = try DeviceRecord(row: rows[0])
        try await connection.query(
            """
            UPDATE pairing SET state = 'completed', device_id = \(deviceID), completed_at = \(now)
            WHERE id = \(pairingID)
            """)
        try await history(
            .paired, subject: subject, deviceID: deviceID, displayName: defaultName, detail: "", origin: "app",
            at: now, on: connection)
        try await audit(
            "device_paired", subject: subject, deviceID: deviceID, pairingID: pairingID,
            detail: "platform: \(Self.platformName(device.platform))", origin: origin, at: now, on: connection)
        var event = RegistryEvents.event(.devicePaired, subject: subject, at: now)
        var paired = Mk_Events_V1_DevicePaired()
        paired.deviceId = deviceID.lowercaseText
        paired.displayName = defaultName
        paired.platform = Self.platformName(device.platform)
        paired.origin = "app"
        event.devicePaired = paired
        return (record, try await publish(event, on: connection))
    }

    /// `base`, or `base` with the first free " (n)" suffix when an active key already has that name.
    static func distinctDefaultName(_ base: String, taken: Set<String>) -> String {
        guard taken.contains(base.lowercased()) else { return base }
        var number = 2
        while taken.contains("\(base) (\(number))".lowercased()) {
            number += 1
        }
        return "\(base) (\(number))"
    }

    /// The platform's contract name ("ANDROID", "IOS").
    static func platformName(_ platform: Mk_Registry_V1_Platform) -> String {
        switch platform {
        case .android: "ANDROID"
        case .ios: "IOS"
        default: "UNSPECIFIED"
        }
    }

    /// Compares two hashes in time independent of where they differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
