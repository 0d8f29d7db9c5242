internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension BokStore {
    /// A started verification.
    struct StartedVerification: Sendable {
        var id: UUID
        var counterCode: CounterCode
        var expiresAt: Date
    }

    /// Namespaces the advisory locks that serialize starts at one counter.
    private static let counterLockClass: Int32 = 0x4D4B_424B

    /// Starts a verification, refusing with a clear reason when the citizen has no BOK, it is
    /// blocked, a request is pending, or a cap is reached.
    func startVerification(subject: String, office: OfficeIdentity, purpose: String, origin: CallOrigin) async throws
        -> StartedVerification
    {
        let now = clock.now()
        let code = CounterCode.generate()
        let keyID = hasher.peppers.currentKeyID
        guard let mac = hasher.counterCodeMAC(code.text, keyID: keyID) else {
            throw BokInternalError("the current pepper is missing")
        }
        let started = StartedVerification(
            id: UUID.random(), counterCode: code,
            expiresAt: now.addingTimeInterval(Self.seconds(configuration.requestLifetime)))
        try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            try await closeOpenRequests(of: subject, cancelOpen: false, origin: origin, at: now, on: connection)
            guard let failures = try await failures(of: subject, on: connection) else { throw BokFailure.noBok }
            guard failures < Self.maximumFailures else { throw BokFailure.blocked }
            let (open, recent) = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE state IN ('pending', 'answering')),
                       count(*) FILTER (WHERE started_at > \(now.addingTimeInterval(-600)))
                FROM verification WHERE subject = \(subject)
                """
            ).single((Int64, Int64).self)
            guard open == 0 else { throw BokFailure.verificationPending }
            guard recent < configuration.verificationsPerCitizenPer10Minutes else { throw BokFailure.citizenLimit }
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(Self.counterLockClass), hashtext(\(office.id + "\u{1F}" + office.counterID)))")
            let atCounter = try await connection.query(
                """
                SELECT count(*) FROM verification
                WHERE office_id = \(office.id) AND counter_id = \(office.counterID)
                  AND started_at > \(now.addingTimeInterval(-3600))
                """
            ).single(Int64.self)
            guard atCounter < configuration.verificationsPerCounterPerHour else { throw BokFailure.counterLimit }
            try await connection.query(
                """
                INSERT INTO verification (id, subject, office_id, office_name, counter_id, purpose, counter_code_key_id,
                                          counter_code_mac, state, started_at, expires_at)
                VALUES (\(started.id), \(subject), \(office.id), \(office.name), \(office.counterID), \(purpose), \(keyID),
                        \(mac), 'pending', \(now), \(started.expiresAt))
                """)
            try await audit(
                "verification_started", subject: subject, requestID: started.id, officeID: office.id,
                detail: "counter: \(office.counterID)", origin: origin, at: now, on: connection)
            try await publish(
                BokEvents.outcome(
                    .started, subject: subject, requestID: started.id, officeName: office.name, purpose: purpose,
                    attemptsLeft: Self.attemptsLeft(failures: failures), deviceID: nil, at: now),
                on: connection)
        }
        return started
    }

    /// The office's request `id` (expired first when its time has passed); NOT_FOUND for another
    /// office's or an unknown one.
    func verification(_ id: UUID, officeID: String, origin: CallOrigin) async throws -> Mk_Bok_V1_Verification {
        try await settled(id, officeID: officeID, origin: origin, cancel: false)
    }

    /// Cancels the office's pending request `id`; a finished request is returned unchanged.
    func cancelVerification(_ id: UUID, officeID: String, origin: CallOrigin) async throws -> Mk_Bok_V1_Verification {
        try await settled(id, officeID: officeID, origin: origin, cancel: true)
    }

    private func settled(_ id: UUID, officeID: String, origin: CallOrigin, cancel: Bool) async throws
        -> Mk_Bok_V1_Verification
    {
        let now = clock.now()
        return try await client.withTransaction { connection in
            guard var request = try await request(id, officeID: officeID, on: connection) else {
                throw BokFailure.requestNotFound
            }
            if request.status == .pending && (cancel || request.expiresAt <= now) {
                try await lockSubject(request.subject, at: now, on: connection)
                try await closeOpenRequests(of: request.subject, cancelOpen: false, origin: origin, at: now, on: connection)
                if cancel, let current = try await self.request(id, officeID: officeID, on: connection),
                    current.status == .pending
                {
                    let left = Self.attemptsLeft(failures: try await failures(of: current.subject, on: connection))
                    try await close(
                        current, as: .cancelled, attemptsLeft: left, deviceID: nil, origin: origin, at: now,
                        on: connection)
                }
                guard let reread = try await self.request(id, officeID: officeID, on: connection) else {
                    throw BokFailure.requestNotFound
                }
                request = reread
            }
            let left = Self.attemptsLeft(failures: try await failures(of: request.subject, on: connection))
            return request.message(currentAttemptsLeft: left)
        }
    }

    private nonisolated(nonsending) func request(_ id: UUID, officeID: String, on connection: PostgresConnection)
        async throws -> VerificationRecord?
    {
        let rows = try await connection.query(
            "SELECT \(unsafeSQL: VerificationRecord.columns) FROM verification WHERE id = \(id) AND office_id = \(officeID)")
        return try rows.first.map(VerificationRecord.init(row:))
    }

    /// The citizen's pending, unexpired request as a prompt, or `nil`.
    func prompt(for subject: String, origin: CallOrigin) async throws -> Mk_Bok_V1_Prompt? {
        let now = clock.now()
        let (request, failures) = try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT \(unsafeSQL: VerificationRecord.columns) FROM verification
                WHERE subject = \(subject) AND state = 'pending'
                ORDER BY started_at DESC LIMIT 1
                """)
            return (try rows.first.map(VerificationRecord.init(row:)), try await self.failures(of: subject, on: connection))
        }
        guard let request else { return nil }
        guard request.expiresAt > now else {
            try await expireOpenRequests(of: subject, origin: origin)
            return nil
        }
        var prompt = Mk_Bok_V1_Prompt()
        prompt.requestId = request.id.lowercaseText
        prompt.officeName = request.officeName
        prompt.purpose = request.purpose
        prompt.expiresAtUnixMicros = UnixMicros.from(request.expiresAt)
        prompt.attemptsLeft = UInt32(Self.attemptsLeft(failures: failures))
        return prompt
    }

    /// The citizen's verifications, newest first.
    func history(of subject: String, limit: Int) async throws -> [Mk_Bok_V1_VerificationHistoryEntry] {
        let rows = try await client.query(
            """
            SELECT office_name, purpose, state, started_at FROM verification WHERE subject = \(subject)
            ORDER BY started_at DESC, id LIMIT \(Int64(limit))
            """)
        return try rows.decode((String, String, String, Date).self).map { officeName, purpose, state, startedAt in
            var entry = Mk_Bok_V1_VerificationHistoryEntry()
            entry.officeName = officeName
            entry.purpose = purpose
            entry.state = VerificationStatus(rawValue: state)?.message ?? .unspecified
            entry.startedAtUnixMicros = UnixMicros.from(startedAt)
            return entry
        }
    }

    /// Expires the subject's pending requests whose time has passed.
    func expireOpenRequests(of subject: String, origin: CallOrigin) async throws {
        let now = clock.now()
        try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            try await closeOpenRequests(of: subject, cancelOpen: false, origin: origin, at: now, on: connection)
        }
    }

    /// How long an answer may stay claimed before the sweeper closes it: long past any call's
    /// deadline, so only an answer whose process died between counting and checking is affected.
    static let stuckAnswerGrace: TimeInterval = 300

    /// Closes requests nobody will answer any more: pending ones past their expiry (EXPIRED), and
    /// answers stuck in checking because their process died (EXPIRED; the failure counted for them
    /// stands, as it was counted before the check). Returns how many were closed.
    func expireDue(limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let due = try await client.query(
            """
            SELECT id, subject FROM verification
            WHERE (state = 'pending' AND expires_at <= \(now))
               OR (state = 'answering' AND expires_at <= \(now.addingTimeInterval(-Self.stuckAnswerGrace)))
            ORDER BY expires_at LIMIT \(Int64(limit))
            """
        ).decode((UUID, String).self)
        var closed = 0
        for (id, subject) in due {
            let done = try await client.withTransaction { connection in
                try await lockSubject(subject, at: now, on: connection)
                let rows = try await connection.query(
                    "SELECT \(unsafeSQL: VerificationRecord.columns) FROM verification WHERE id = \(id) FOR UPDATE")
                guard let request = try rows.first.map(VerificationRecord.init(row:)) else { return false }
                let stuck = request.status == .answering
                    && request.expiresAt <= now.addingTimeInterval(-Self.stuckAnswerGrace)
                guard (request.status == .pending && request.expiresAt <= now) || stuck else { return false }
                let left = Self.attemptsLeft(failures: try await failures(of: subject, on: connection))
                return try await close(
                    request, as: .expired, attemptsLeft: left, deviceID: nil, origin: CallOrigin(service: "bok"),
                    at: now, on: connection)
            }
            closed += done ? 1 : 0
        }
        return closed
    }

    /// A `Duration` in seconds.
    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
