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
    /// three statements: ``recordUseQuery(_:at:now:origin:)`` and the outbox's two.
    /// ``recordUses(_:)`` records concurrent sign-ins together.
    func recordUse(_ signIn: SignIn, origin: CallOrigin) async throws -> Bool {
        let now = clock.now()
        return try await client.withTransaction { connection in
            let rows = try await connection.query(Self.recordUseQuery(signIn, now: now, origin: origin))
            guard let historyDevice = try rows.decodeFirst(UUID?.self) else { return false }
            try await publish(Self.signedInEvent(signIn, device: historyDevice, now: now), on: connection)
            return true
        }
    }

    /// Records a batch of sign-ins, answering each as ``recordUse(_:origin:)`` would, in one
    /// transaction of five round trips: `BEGIN`, one pipeline of their statements, the outbox's two
    /// (for the new ones: their sequence numbers, then a pipeline of their rows), `COMMIT`.
    ///
    /// The statements run sorted by subject (arrival order within one), so batches running at once
    /// lock subjects in one order. When the batch fails (a deadlock with another transaction, a
    /// lost connection, a sign-in the server rejects), each sign-in is recorded on its own, so one
    /// that fails fails alone; `logger` tells why the batch failed.
    func recordUses(
        _ batch: [(signIn: SignIn, origin: CallOrigin)], logger: Logger
    ) async -> [Result<Bool, any Error>] {
        if batch.count > 1 {
            let now = clock.now()
            let order = batch.indices.sorted { (batch[$0].signIn.subject, $0) < (batch[$1].signIn.subject, $1) }
            do {
                let recorded = try await client.withTransaction { connection in
                    let results = try await connection.pipeline(order.map { index in
                        Self.recordUseQuery(batch[index].signIn, now: now, origin: batch[index].origin)
                    })
                    var recorded = [Bool](repeating: false, count: batch.count)
                    var events: [Mk_Events_V1_Event] = []
                    for (index, rows) in zip(order, results) {
                        guard let historyDevice = try rows.decodeFirst(UUID?.self) else { continue }
                        recorded[index] = true
                        events.append(Self.signedInEvent(batch[index].signIn, device: historyDevice, now: now))
                    }
                    try await publish(events, on: connection)
                    return recorded
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

    /// One statement doing in order: lock (creating if needed) the subject's row, as
    /// ``lockSubject(_:at:on:)``; claim the sign-in's event id (none: always new); and only when it
    /// is new, the key's last use (only an active key's moves; another subject's or an unknown key
    /// is not touched) or the other means kind as last seen, the history entry (naming the key when
    /// it is the subject's) and the audit row.
    ///
    /// Its one row, when the event id is new, names the key the entry names (NULL for none); it has
    /// no row when the event id was recorded before. Nothing in it depends on the statement's
    /// snapshot: `ON CONFLICT` waits for a concurrent claim of the same id and then sees it, and the
    /// key's row is re-read after its lock. Each step reads the one before, so the subject is
    /// locked before the key, as in every other transaction.
    private static func recordUseQuery(_ signIn: SignIn, now: Date, origin: CallOrigin) -> PostgresQuery {
        let at = signIn.at ?? now
        let meansName = meansName(signIn.means)
        let auditDetail = "means: \(meansName)"
        return """
            WITH locked AS (
                INSERT INTO subject (subject, first_seen_at) VALUES (\(signIn.subject), \(now))
                ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject
                RETURNING subject
            ), claimed AS (
                INSERT INTO use_event (event_id, subject, recorded_at)
                SELECT \(signIn.eventID), locked.subject, \(now) FROM locked WHERE \(signIn.eventID) <> ''
                ON CONFLICT (event_id) DO NOTHING
                RETURNING subject
            ), recorded AS (
                SELECT subject FROM claimed
                UNION ALL SELECT subject FROM locked WHERE \(signIn.eventID) = ''
            ), used AS (
                UPDATE device
                SET last_used_at = CASE WHEN unpaired_at IS NULL
                    THEN greatest(coalesce(last_used_at, \(at)), \(at)) ELSE last_used_at END
                WHERE id = \(signIn.deviceID) AND subject = \(signIn.subject) AND EXISTS (SELECT FROM recorded)
                RETURNING id, coalesce(custom_name, default_name) AS display_name
            ), seen AS (
                INSERT INTO known_means (subject, kind, first_seen_at, last_used_at)
                SELECT recorded.subject, \(signIn.means.rawValue), \(now), \(at) FROM recorded
                WHERE \(signIn.deviceID)::uuid IS NULL
                ON CONFLICT (subject, kind) DO UPDATE
                SET last_used_at = greatest(known_means.last_used_at, EXCLUDED.last_used_at)
            ), entry AS (
                INSERT INTO history (subject, at, action, device_id, device_display_name, detail, origin)
                SELECT recorded.subject, \(at), \(Mk_Registry_V1_HistoryAction.signedIn.rawValue), used.id,
                       coalesce(used.display_name, ''), \(meansName), \(signIn.origin)
                FROM recorded LEFT JOIN used ON true
                RETURNING device_id
            )
            INSERT INTO audit (at, subject, action, device_id, caller, peer_identity, trace_id, detail)
            SELECT \(now), \(signIn.subject), 'use_recorded', entry.device_id, \(origin.caller),
                   \(origin.peerIdentity), \(origin.traceID), \(auditDetail)
            FROM entry
            RETURNING device_id
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
