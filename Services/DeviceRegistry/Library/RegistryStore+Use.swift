internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension RegistryStore {
    /// A validated sign-in report.
    struct SignIn: Sendable {
        var subject: String
        var means: Mk_Registry_V1_MeansKind
        var deviceID: UUID?
        var at: Date?
        var origin: String
        var eventID: String
    }

    /// Records a sign-in: last use of a key, or the other means kind as last seen; a history entry
    /// and a SignedIn event. Returns false when `eventID` was recorded before. An unknown subject
    /// or key is recorded too (the key's last use is only updated for the subject's active key).
    func recordUse(_ signIn: SignIn, origin: CallOrigin) async throws -> Bool {
        let now = clock.now()
        let at = signIn.at ?? now
        return try await client.withTransaction { connection in
            try await lockSubject(signIn.subject, at: now, on: connection)
            if !signIn.eventID.isEmpty {
                let inserted = try await connection.query(
                    """
                    INSERT INTO use_event (event_id, subject, recorded_at)
                    VALUES (\(signIn.eventID), \(signIn.subject), \(now))
                    ON CONFLICT (event_id) DO NOTHING
                    """
                ).affectedRows
                if inserted == 0 { return false }
            }
            let meansName = Self.meansName(signIn.means)
            var historyDevice: UUID?
            var displayName = ""
            if let deviceID = signIn.deviceID {
                let rows = try await connection.query(
                    """
                    UPDATE device
                    SET last_used_at = CASE WHEN unpaired_at IS NULL
                        THEN greatest(coalesce(last_used_at, \(at)), \(at)) ELSE last_used_at END
                    WHERE id = \(deviceID) AND subject = \(signIn.subject)
                    RETURNING coalesce(custom_name, default_name)
                    """)
                if let name = try rows.first?.decode(String.self) {
                    historyDevice = deviceID
                    displayName = name
                }
            } else {
                try await connection.query(
                    """
                    INSERT INTO known_means (subject, kind, first_seen_at, last_used_at)
                    VALUES (\(signIn.subject), \(signIn.means.rawValue), \(now), \(at))
                    ON CONFLICT (subject, kind) DO UPDATE
                    SET last_used_at = greatest(known_means.last_used_at, EXCLUDED.last_used_at)
                    """)
            }
            try await history(
                .signedIn, subject: signIn.subject, deviceID: historyDevice, displayName: displayName,
                detail: meansName, origin: signIn.origin, at: at, on: connection)
            try await audit(
                "use_recorded", subject: signIn.subject, deviceID: historyDevice,
                detail: "means: \(meansName)", origin: origin, at: now, on: connection)
            var event = RegistryEvents.event(.signedIn, subject: signIn.subject, at: at)
            var signedIn = Mk_Events_V1_SignedIn()
            signedIn.means = meansName
            signedIn.deviceId = historyDevice?.uuidString.lowercased() ?? ""
            signedIn.origin = signIn.origin
            event.signedIn = signedIn
            try await publish(event, on: connection)
            return true
        }
    }

    /// The subject's other means, most recently used first.
    func knownMeans(of subject: String) async throws -> [Mk_Registry_V1_KnownMeans] {
        let rows = try await client.withConnection { connection in
            try await connection.query(
                """
                SELECT kind, last_used_at FROM known_means WHERE subject = \(subject)
                ORDER BY last_used_at DESC, kind
                """)
        }
        return try rows.decode((Int32, Date).self).map { kind, lastUsedAt in
            var means = Mk_Registry_V1_KnownMeans()
            means.means = Mk_Registry_V1_MeansKind(rawValue: kind)
            means.lastUsedAtUnixMicros = UnixMicros.from(lastUsedAt)
            return means
        }
    }

    /// The contract name of a means kind ("MOBILE_KEY", "EOP", ...).
    static func meansName(_ means: Mk_Registry_V1_MeansKind) -> String {
        switch means {
        case .mobileKey: "MOBILE_KEY"
        case .eop: "EOP"
        case .bankIdentity: "BANK_IDENTITY"
        case .niaId: "NIA_ID"
        default: "OTHER"
        }
    }
}
