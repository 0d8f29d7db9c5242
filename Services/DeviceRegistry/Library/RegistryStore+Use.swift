internal import Foundation
internal import Logging
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
    ///
    /// Ingestion is a hot path (every sign-in at the identity provider), so the transaction is
    /// three statements: ``recordUsesQuery(_:now:)`` and the outbox's two. ``recordUses(_:logger:)``
    /// records concurrent sign-ins together, with the same statements.
    func recordUse(_ signIn: SignIn, origin: CallOrigin) async throws -> Bool {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await record([(signIn, origin)], now: now, on: connection)[0]
        }
    }

    /// Records a batch of sign-ins, answering each as ``recordUse(_:origin:)`` would, in one
    /// transaction of the same five round trips: `BEGIN`, ``recordUsesQuery(_:now:)`` for all of
    /// them, the outbox's two for the new ones, `COMMIT`.
    ///
    /// The statement locks the subjects in sorted order, so batches running at once lock them in one
    /// order. When the batch fails (a deadlock with another transaction, a lost connection, a
    /// sign-in the server rejects), each sign-in is recorded on its own, so one that fails fails
    /// alone; `logger` tells why the batch failed.
    func recordUses(
        _ batch: [(signIn: SignIn, origin: CallOrigin)], logger: Logger
    ) async -> [Result<Bool, any Error>] {
        if batch.count > 1 {
            let now = clock.now()
            do {
                let recorded = try await client.withTransaction { connection in
                    try await record(batch, now: now, on: connection)
                }
                return recorded.map { .success($0) }
            } catch {
                logger.warning(
                    "sign-in batch failed; recording each sign-in on its own",
                    metadata: ["sign-ins": "\(batch.count)", "error": "\(error)"])
            }
        }
        return await BatchQueue.answerEach(batch) { try await recordUse($0.signIn, origin: $0.origin) }
    }

    /// Records `batch` in the current transaction and publishes a SignedIn event for each new
    /// sign-in, in batch order; returns whether each was new.
    private nonisolated(nonsending) func record(
        _ batch: [(signIn: SignIn, origin: CallOrigin)], now: Date, on connection: PostgresConnection
    ) async throws -> [Bool] {
        let rows = try await connection.query(Self.recordUsesQuery(batch, now: now))
        var historyDevices = [UUID??](repeating: nil, count: batch.count)
        for (position, device) in try rows.decode((Int64, UUID?).self) {
            guard let index = Int(exactly: position - 1), batch.indices.contains(index) else {
                throw PostgresError(.unexpectedShape, reason: "RecordUse answered for an unknown sign-in")
            }
            historyDevices[index] = .some(device)
        }
        var events: [Mk_Events_V1_Event] = []
        for (entry, historyDevice) in zip(batch, historyDevices) {
            guard let historyDevice else { continue }
            events.append(Self.signedInEvent(entry.signIn, device: historyDevice, now: now))
        }
        try await publish(events, on: connection)
        return historyDevices.map { $0 != nil }
    }

    /// The SignedIn event of a recorded sign-in; `device` is the key its history entry names.
    private static func signedInEvent(_ signIn: SignIn, device: UUID?, now: Date) -> Mk_Events_V1_Event {
        var event = RegistryEvents.event(.signedIn, subject: signIn.subject, at: signIn.at ?? now)
        var signedIn = Mk_Events_V1_SignedIn()
        signedIn.means = meansName(signIn.means)
        signedIn.deviceId = device?.lowercaseText ?? ""
        signedIn.origin = signIn.origin
        event.signedIn = signedIn
        return event
    }

    /// One statement recording every sign-in of `batch`. In order, it:
    /// - locks (creating if needed) the subjects' rows, sorted, as ``lockSubject(_:at:on:)``;
    /// - claims each sign-in's event id (none: always new); of sign-ins repeating an event id in the
    ///   batch only the first can be new, as if they had come one after another;
    /// - for the new ones only: moves each key's last use to its latest sign-in (only an active
    ///   key's moves; another subject's or an unknown key is not touched) or the other means kind's
    ///   last seen, and writes each sign-in's history entry (naming the key when it is the
    ///   subject's) and audit row, in batch order.
    ///
    /// It answers one row per new sign-in: its position in `batch` (from 1) and the key its entry
    /// names (NULL for none). Nothing in it depends on the statement's snapshot: `ON CONFLICT` waits
    /// for a concurrent claim of the same id and then sees it, and the keys' rows are re-read after
    /// their lock. Each step reads the one before, so a subject is locked before its keys, as in every
    /// other transaction. The arrays hold no NULLs: a sign-in without a key travels as ''.
    static func recordUsesQuery(_ batch: [(signIn: SignIn, origin: CallOrigin)], now: Date) -> PostgresQuery {
        let signIns = batch.map(\.signIn)
        let origins = batch.map(\.origin)
        return """
            WITH input AS (
                SELECT sign_in.subject, sign_in.event_id, nullif(sign_in.device_id, '')::uuid AS device_id,
                       sign_in.at, sign_in.means::integer AS means, sign_in.means_name, sign_in.origin,
                       sign_in.caller, sign_in.peer_identity, sign_in.trace_id, sign_in.position
                FROM unnest(\(signIns.map(\.subject)), \(signIns.map(\.eventID)),
                            \(signIns.map { $0.deviceID?.lowercaseText ?? "" }), \(signIns.map { $0.at ?? now }),
                            \(signIns.map { Int64($0.means.rawValue) }), \(signIns.map { meansName($0.means) }),
                            \(signIns.map(\.origin)), \(origins.map(\.caller)), \(origins.map(\.peerIdentity)),
                            \(origins.map(\.traceID)))
                    WITH ORDINALITY AS sign_in (subject, event_id, device_id, at, means, means_name, origin, caller,
                                                peer_identity, trace_id, position)
            ), locked AS (
                INSERT INTO subject (subject, first_seen_at)
                SELECT DISTINCT subject, \(now) FROM input ORDER BY subject
                ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
                RETURNING subject
            ), candidate AS (
                SELECT DISTINCT ON (event_id) event_id, subject, position FROM input
                WHERE event_id <> '' ORDER BY event_id, position
            ), claimed AS (
                INSERT INTO use_event (event_id, subject, recorded_at)
                SELECT candidate.event_id, candidate.subject, \(now) FROM candidate JOIN locked USING (subject)
                ORDER BY candidate.subject, candidate.position
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
            ), recorded AS (
                SELECT input.* FROM input JOIN candidate USING (position)
                JOIN claimed ON claimed.event_id = candidate.event_id
                UNION ALL
                SELECT input.* FROM input JOIN locked USING (subject) WHERE input.event_id = ''
            ), used AS (
                UPDATE device
                SET last_used_at = CASE WHEN unpaired_at IS NULL
                    THEN greatest(coalesce(last_used_at, latest.at), latest.at) ELSE last_used_at END
                FROM (
                    SELECT device_id, subject, max(at) AS at FROM recorded WHERE device_id IS NOT NULL
                    GROUP BY device_id, subject
                ) AS latest
                WHERE device.id = latest.device_id AND device.subject = latest.subject
                RETURNING device.id, device.subject, coalesce(device.custom_name, device.default_name) AS display_name
            ), seen AS (
                INSERT INTO known_means (subject, kind, first_seen_at, last_used_at)
                SELECT subject, means, \(now), max(at) FROM recorded WHERE device_id IS NULL
                GROUP BY subject, means ORDER BY subject, means
                ON CONFLICT (subject, kind) DO UPDATE
                SET last_used_at = greatest(known_means.last_used_at, EXCLUDED.last_used_at)
            ), entry AS (
                SELECT recorded.*, used.id AS history_device, coalesce(used.display_name, '') AS display_name
                FROM recorded LEFT JOIN used ON used.id = recorded.device_id AND used.subject = recorded.subject
            ), history_entry AS (
                INSERT INTO history (subject, at, action, device_id, device_display_name, detail, origin)
                SELECT subject, at, \(Mk_Registry_V1_HistoryAction.signedIn.rawValue), history_device, display_name,
                       means_name, origin
                FROM entry ORDER BY position
            ), audit_entry AS (
                INSERT INTO audit (at, subject, action, device_id, caller, peer_identity, trace_id, detail)
                SELECT \(now), subject, 'use_recorded', history_device, caller, peer_identity, trace_id,
                       'means: ' || means_name
                FROM entry ORDER BY position
            )
            SELECT position, history_device FROM entry
            """
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
