internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension BokStore {
    /// The citizen's BOK state and wrong answers left.
    func status(of subject: String) async throws -> (state: Mk_Bok_V1_BokState, attemptsLeft: Int) {
        guard let failures = try await failures(of: subject) else { return (.none, 0) }
        if failures >= Self.maximumFailures { return (.blocked, 0) }
        return (.active, Self.attemptsLeft(failures: failures))
    }

    /// Sets the citizen's first BOK; ALREADY_EXISTS when there is one.
    func setBok(_ stored: CredentialHasher.Stored, for subject: String, office: OfficeIdentity, origin: CallOrigin)
        async throws
    {
        let now = clock.now()
        try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let inserted = try await connection.execute(
                """
                INSERT INTO credential (subject, generation, failures, algorithm, argon2_version, memory_kib, iterations,
                                        parallelism, salt, pepper_key_id, verifier, set_at, updated_at)
                VALUES (\(subject), 1, 0, 'argon2id', \(Int32(Argon2id.version)), \(Int32(stored.parameters.memoryKiB)),
                        \(Int32(stored.parameters.iterations)), \(Int32(stored.parameters.parallelism)), \(stored.salt),
                        \(stored.keyID), \(stored.verifier), \(now), \(now))
                ON CONFLICT (subject) DO NOTHING
                """)
            guard inserted == 1 else { throw BokFailure.bokExists }
            try await credentialChanged(.set, subject: subject, office: office, origin: origin, at: now, on: connection)
        }
    }

    /// Replaces the citizen's BOK with a new one and clears its failures; NOT_FOUND without a BOK.
    func unblockBok(_ stored: CredentialHasher.Stored, for subject: String, office: OfficeIdentity, origin: CallOrigin)
        async throws
    {
        let now = clock.now()
        try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let updated = try await connection.execute(
                """
                UPDATE credential
                SET generation = generation + 1, failures = 0, argon2_version = \(Int32(Argon2id.version)),
                    memory_kib = \(Int32(stored.parameters.memoryKiB)), iterations = \(Int32(stored.parameters.iterations)),
                    parallelism = \(Int32(stored.parameters.parallelism)), salt = \(stored.salt),
                    pepper_key_id = \(stored.keyID), verifier = \(stored.verifier), updated_at = \(now), blocked_at = NULL
                WHERE subject = \(subject)
                """)
            guard updated == 1 else { throw BokFailure.noBokToReplace }
            try await credentialChanged(
                .unblocked, subject: subject, office: office, origin: origin, at: now, on: connection)
        }
    }

    /// Removes the citizen's BOK; returns false when there was none (nothing changes then).
    @discardableResult
    func clearBok(for subject: String, office: OfficeIdentity, origin: CallOrigin) async throws -> Bool {
        let now = clock.now()
        return try await client.withTransaction { connection in
            try await lockSubject(subject, at: now, on: connection)
            let deleted = try await connection.execute("DELETE FROM credential WHERE subject = \(subject)")
            guard deleted == 1 else { return false }
            try await credentialChanged(.cleared, subject: subject, office: office, origin: origin, at: now, on: connection)
            return true
        }
    }

    /// True when the citizen has a BOK (a quick check before hashing a new one).
    func hasBok(_ subject: String) async throws -> Bool {
        try await failures(of: subject) != nil
    }

    /// Audits a credential change, publishes it and cancels the subject's open requests, which
    /// were started against the previous state.
    private nonisolated(nonsending) func credentialChanged(
        _ result: Mk_Events_V1_BokResult,
        subject: String,
        office: OfficeIdentity,
        origin: CallOrigin,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await closeOpenRequests(of: subject, cancelOpen: true, origin: origin, at: now, on: connection)
        let action: String
        switch result {
        case .set: action = "bok_set"
        case .unblocked: action = "bok_unblocked"
        default: action = "bok_cleared"
        }
        try await audit(action, subject: subject, officeID: office.id, origin: origin, at: now, on: connection)
        let attemptsLeft = result == .cleared ? 0 : Self.maximumFailures
        try await publish(
            BokEvents.outcome(
                result, subject: subject, requestID: nil, officeName: office.name, purpose: "",
                attemptsLeft: attemptsLeft, deviceID: nil, at: now),
            on: connection)
    }
}
