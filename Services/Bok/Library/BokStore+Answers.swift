internal import Foundation
internal import MKPostgres
internal import MKServiceRuntime

extension BokStore {
    /// An answer that claimed its request: the request is `answering` and one failure is already
    /// counted against the BOK, committed, before the BOK is checked.
    struct ClaimedAnswer: Sendable {
        var request: VerificationRecord
        var deviceID: UUID
        /// The credential's generation when the failure was counted.
        var generation: Int64
        /// Consecutive failures including this answer's.
        var failures: Int
        var stored: CredentialHasher.Stored
    }

    /// The first step of an answer.
    enum Claim: Sendable {
        /// The request was closed without checking a BOK (expired, wrong counter code, blocked).
        case finished(VerificationStatus, attemptsLeft: Int)
        /// The BOK must be checked and the answer finished with ``finishAnswer(_:check:origin:)``.
        case claimed(ClaimedAnswer)
    }

    /// Claims the subject's pending request `requestID` for an answer from `deviceID`, in one
    /// transaction: an expired request is closed EXPIRED (nothing counted); a wrong counter code
    /// voids it (nothing counted); otherwise the BOK's failure counter is raised — only while it is
    /// below 3 — and the request moves to `answering`, so it cannot be answered twice and parallel
    /// answers can never get more than 3 tries between them.
    func claimAnswer(
        requestID: UUID, subject: String, deviceID: UUID, counterCode: CounterCode, origin: CallOrigin
    ) async throws -> Claim {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let rows = try await connection.query(
                """
                SELECT \(unsafeSQL: VerificationRecord.columns) FROM verification
                WHERE id = \(requestID) AND subject = \(subject)
                FOR UPDATE
                """)
            guard let request = try rows.first.map(VerificationRecord.init(row:)) else { throw BokFailure.requestNotFound }
            let currentLeft = Self.attemptsLeft(failures: try await failures(of: subject, on: connection))
            switch request.status {
            case .expired:
                return .finished(.expired, attemptsLeft: currentLeft)
            case .pending where request.expiresAt <= now:
                try await close(
                    request, as: .expired, attemptsLeft: currentLeft, deviceID: nil, origin: origin, at: now,
                    on: connection)
                return .finished(.expired, attemptsLeft: currentLeft)
            case .pending:
                break
            default:
                throw BokFailure.requestClosed
            }
            guard let expected = hasher.counterCodeMAC(counterCode.text, keyID: request.counterCodeKeyID) else {
                throw BokInternalError("the pepper of a pending request's counter code is not configured")
            }
            guard ConstantTime.equals(expected, request.counterCodeMAC) else {
                try await close(
                    request, as: .wrongCounterCode, attemptsLeft: currentLeft, deviceID: deviceID, origin: origin,
                    at: now, on: connection)
                return .finished(.wrongCounterCode, attemptsLeft: currentLeft)
            }
            let credential = try await connection.query(
                """
                SELECT generation, memory_kib, iterations, parallelism, salt, pepper_key_id, verifier
                FROM credential WHERE subject = \(subject)
                """
            ).decodeFirst((Int64, Int32, Int32, Int32, [UInt8], String, [UInt8]).self)
            guard let (generation, memory, iterations, parallelism, salt, keyID, verifier) = credential else {
                try await close(
                    request, as: .cancelled, attemptsLeft: 0, deviceID: deviceID, origin: origin, at: now,
                    on: connection)
                return .finished(.cancelled, attemptsLeft: 0)
            }
            guard hasher.peppers.contains(keyID) else {
                throw BokInternalError("pepper key id \(keyID) of a stored credential is not configured")
            }
            // The failure is counted first and only below the limit; a right BOK takes it back.
            let counted = try await connection.query(
                """
                UPDATE credential SET failures = failures + 1, updated_at = \(now)
                WHERE subject = \(subject) AND generation = \(generation) AND failures < \(Int32(Self.maximumFailures))
                RETURNING failures
                """
            ).decodeFirst(Int.self)
            guard let failures = counted else {
                try await close(
                    request, as: .blocked, attemptsLeft: 0, deviceID: deviceID, origin: origin, at: now, on: connection)
                return .finished(.blocked, attemptsLeft: 0)
            }
            try await connection.query(
                "UPDATE verification SET state = 'answering', device_id = \(deviceID) WHERE id = \(requestID)")
            try await audit(
                "verification_answer_claimed", subject: subject, requestID: requestID, deviceID: deviceID,
                officeID: request.officeID, detail: "failure counted before the check: \(failures)", origin: origin,
                at: now, on: connection)
            let parameters = Argon2Parameters(
                memoryKiB: Int(memory), iterations: Int(iterations), parallelism: Int(parallelism))
            return .claimed(
                ClaimedAnswer(
                    request: request, deviceID: deviceID, generation: generation, failures: failures,
                    stored: CredentialHasher.Stored(parameters: parameters, salt: salt, keyID: keyID, verifier: verifier)))
        }
    }

    /// Records the result of a claimed answer: a right BOK resets the failures (re-keying or
    /// re-hashing the credential when asked to) and verifies the request; a wrong one keeps the
    /// counted failure and blocks the BOK when it was the third. When the BOK was replaced or
    /// removed meanwhile, the request is cancelled and the new BOK is left alone.
    func finishAnswer(_ claimed: ClaimedAnswer, check: CredentialHasher.Check, origin: CallOrigin) async throws
        -> (status: VerificationStatus, attemptsLeft: Int)
    {
        let now = clock.now()
        let subject = claimed.request.subject
        return try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let outcome: (status: VerificationStatus, attemptsLeft: Int)
            switch check {
            case .match(let replacement):
                let updated: Int
                if let replacement {
                    updated = try await connection.execute(
                        """
                        UPDATE credential
                        SET failures = 0, blocked_at = NULL, updated_at = \(now),
                            argon2_version = \(Int32(Argon2id.version)),
                            memory_kib = \(Int32(replacement.parameters.memoryKiB)),
                            iterations = \(Int32(replacement.parameters.iterations)),
                            parallelism = \(Int32(replacement.parameters.parallelism)), salt = \(replacement.salt),
                            pepper_key_id = \(replacement.keyID), verifier = \(replacement.verifier)
                        WHERE subject = \(subject) AND generation = \(claimed.generation)
                        """)
                } else {
                    updated = try await connection.execute(
                        """
                        UPDATE credential SET failures = 0, blocked_at = NULL, updated_at = \(now)
                        WHERE subject = \(subject) AND generation = \(claimed.generation)
                        """)
                }
                outcome = updated == 1 ? (.verified, Self.maximumFailures) : (.cancelled, 0)
            case .mismatch:
                let generation = try await connection.query(
                    "SELECT generation FROM credential WHERE subject = \(subject)"
                ).decodeFirst(Int64.self)
                if generation != claimed.generation {
                    outcome = (.cancelled, 0)
                } else if claimed.failures >= Self.maximumFailures {
                    try await connection.query(
                        """
                        UPDATE credential SET blocked_at = coalesce(blocked_at, \(now)), updated_at = \(now)
                        WHERE subject = \(subject)
                        """)
                    outcome = (.blocked, 0)
                } else {
                    outcome = (
                        .wrongBok, Self.attemptsLeft(failures: try await failures(of: subject, on: connection))
                    )
                }
            }
            let closed = try await close(
                claimed.request, as: outcome.status, attemptsLeft: outcome.attemptsLeft, deviceID: claimed.deviceID,
                origin: origin, at: now, on: connection)
            guard closed else { throw BokFailure.requestClosed }
            return outcome
        }
    }
}
