internal import Crypto
internal import Foundation
internal import NIOPosix

/// Turns a BOK into its stored form and checks a BOK against it: Argon2id with a per-credential
/// salt, then HMAC-SHA256 under a pepper from the keyring. Argon2 runs on a thread pool, never on
/// the cooperative pool, and only while the caller holds a ``HashLimiter`` permit.
struct CredentialHasher: Sendable {
    /// What is stored for a credential (besides its counters).
    struct Stored: Sendable, Equatable {
        var parameters: Argon2Parameters
        var salt: [UInt8]
        var keyID: String
        var verifier: [UInt8]
    }

    /// The outcome of checking a BOK.
    enum Check: Sendable {
        /// Wrong BOK.
        case mismatch
        /// Right BOK; `replacement` is set when the credential should be re-keyed or re-hashed.
        case match(replacement: Stored?)
    }

    private static let verifierDomain = Array("mk-bok-verifier-v1".utf8)
    private static let counterCodeDomain = Array("mk-bok-counter-code-v1".utf8)

    let parameters: Argon2Parameters
    let peppers: PepperKeyring
    let limiter: HashLimiter
    let threadPool: NIOThreadPool
    let defaultWait: Duration

    /// Runs `body` holding a hash permit, waiting until `deadline` (or ``defaultWait`` from now).
    func withPermit<Result>(
        deadline: ContinuousClock.Instant?, _ body: () async throws -> Result
    ) async throws -> Result {
        try await limiter.withPermit(until: deadline ?? .now.advanced(by: defaultWait), body)
    }

    /// The stored form of `code` for `subject`, with a fresh salt, the current parameters and the
    /// current pepper. Call with a permit held.
    func store(_ code: BokCode, subject: String) async throws -> Stored {
        let salt = (0..<Argon2id.saltLength).map { _ in UInt8.random(in: 0...255) }
        let output = try await argon2(code, salt: salt, parameters: parameters)
        return try stored(output, subject: subject, salt: salt, parameters: parameters, keyID: peppers.currentKeyID)
    }

    /// Checks `code` against `stored` in constant time. Call with a permit held.
    func check(_ code: BokCode, subject: String, against stored: Stored) async throws -> Check {
        let output = try await argon2(code, salt: stored.salt, parameters: stored.parameters)
        let candidate = try self.stored(
            output, subject: subject, salt: stored.salt, parameters: stored.parameters, keyID: stored.keyID)
        guard ConstantTime.equals(candidate.verifier, stored.verifier) else { return .mismatch }
        if stored.parameters != parameters {
            return .match(replacement: try await store(code, subject: subject))
        }
        if stored.keyID != peppers.currentKeyID {
            return .match(
                replacement: try self.stored(
                    output, subject: subject, salt: stored.salt, parameters: stored.parameters,
                    keyID: peppers.currentKeyID))
        }
        return .match(replacement: nil)
    }

    /// The MAC under which a request's counter code is stored.
    func counterCodeMAC(_ code: String, keyID: String) -> [UInt8]? {
        peppers.mac(Self.counterCodeDomain + Array(code.utf8), keyID: keyID)
    }

    private func stored(
        _ output: [UInt8], subject: String, salt: [UInt8], parameters: Argon2Parameters, keyID: String
    ) throws -> Stored {
        let subjectBytes = Array(subject.utf8)
        let length = UInt32(subjectBytes.count)
        let lengthBytes = [UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)]
        guard let verifier = peppers.mac(Self.verifierDomain + lengthBytes + subjectBytes + output, keyID: keyID) else {
            throw BokInternalError("pepper key id \(keyID) of a stored credential is not configured")
        }
        return Stored(parameters: parameters, salt: salt, keyID: keyID, verifier: verifier)
    }

    private func argon2(_ code: BokCode, salt: [UInt8], parameters: Argon2Parameters) async throws -> [UInt8] {
        let digits = code.digits
        let output = try await threadPool.runIfActive { Argon2id.hash(password: digits, salt: salt, parameters: parameters) }
        guard let output else { throw BokInternalError("Argon2id failed (invalid parameters or out of memory)") }
        return output
    }
}
