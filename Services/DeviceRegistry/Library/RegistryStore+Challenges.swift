internal import Crypto
internal import Foundation
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension RegistryStore {
    /// How long a challenge works.
    static let challengeLifetime: TimeInterval = 60
    /// How far a signed request's time may be from now.
    static let signedPayloadWindow: TimeInterval = 60

    /// A newly issued challenge.
    struct IssuedChallenge: Sendable {
        var id: UUID
        var nonce: [UInt8]
        var expiresAt: Date
    }

    /// Issues a single-use challenge with a 256-bit nonce for an active key; NOT_FOUND otherwise.
    func issueChallenge(for deviceID: UUID, origin: CallOrigin) async throws -> IssuedChallenge {
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(Self.challengeLifetime)
        let nonce = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let id = UUID.random()
        return try await client.withTransaction { connection in
            let rows = try await connection.query(
                "SELECT subject FROM device WHERE id = \(deviceID) AND unpaired_at IS NULL")
            guard let subject = try rows.first?.decode(String.self) else { throw RegistryFailure.deviceNotFound }
            try await connection.query(
                "DELETE FROM challenge WHERE device_id = \(deviceID) AND expires_at <= \(now)")
            try await connection.query(
                """
                INSERT INTO challenge (id, device_id, nonce, issued_at, expires_at)
                VALUES (\(id), \(deviceID), \(nonce), \(now), \(expiresAt))
                """)
            try await audit("challenge_issued", subject: subject, deviceID: deviceID, origin: origin, at: now, on: connection)
            return IssuedChallenge(id: id, nonce: nonce, expiresAt: expiresAt)
        }
    }

    /// Checks a signature over a challenge. The challenge is consumed by this first attempt,
    /// whatever its outcome, so a replay fails however the signature bytes are re-encoded.
    /// Returns the owner when valid.
    func verifyChallenge(
        _ challengeID: UUID, deviceID: UUID, signature: [UInt8], origin: CallOrigin
    ) async throws -> String? {
        let now = clock.now()
        return try await client.withTransaction { connection in
            let consumed = try await connection.query(
                """
                UPDATE challenge SET consumed_at = \(now)
                WHERE id = \(challengeID) AND consumed_at IS NULL
                RETURNING device_id, nonce, expires_at
                """
            ).first?.decode((UUID, [UInt8], Date).self)
            guard let (challengeDevice, nonce, expiresAt) = consumed else { return nil }
            let owner = try await activeKey(deviceID, on: connection)
            let valid: Bool
            if let (subject, key) = owner, challengeDevice == deviceID, expiresAt > now {
                let message = DeviceKey.challengeMessage(challengeID: challengeID, nonce: nonce)
                valid = key.isValidSignature(signature, for: message)
                try await audit(
                    "challenge_answered", subject: subject, deviceID: deviceID,
                    detail: valid ? "valid" : "invalid", origin: origin, at: now, on: connection)
            } else {
                valid = false
            }
            return valid ? owner?.subject : nil
        }
    }

    /// Checks a signature over a timestamped request; returns the owner when valid.
    func verifySignedPayload(
        _ payload: [UInt8], signedAt: Date, deviceID: UUID, signature: [UInt8]
    ) async throws -> String? {
        let now = clock.now()
        guard abs(signedAt.timeIntervalSince(now)) <= Self.signedPayloadWindow else { return nil }
        let owner = try await client.withConnection { connection in
            try await activeKey(deviceID, on: connection)
        }
        guard let (subject, key) = owner, key.isValidSignature(signature, for: payload) else { return nil }
        return subject
    }

    /// The owner and public key of an active key, or `nil`.
    private nonisolated(nonsending) func activeKey(_ deviceID: UUID, on connection: PostgresConnection) async throws
        -> (subject: String, key: DeviceKey)?
    {
        let rows = try await connection.query(
            "SELECT subject, public_key FROM device WHERE id = \(deviceID) AND unpaired_at IS NULL")
        guard let (subject, bytes) = try rows.first?.decode((String, [UInt8]).self), let key = DeviceKey(x963: bytes) else {
            return nil
        }
        return (subject, key)
    }
}
