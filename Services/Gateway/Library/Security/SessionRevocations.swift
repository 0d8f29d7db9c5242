internal import Foundation
internal import MKContracts
internal import MKMessages
internal import Synchronization

/// Whether a session was signed out, shared by every replica through the Device Registry
/// (`RevokeSession`, `IsSessionRevoked`), with two per-replica memories that keep the hot path
/// cheap: sessions this replica signed out (refused at once, without asking), and "not revoked"
/// answers, trusted for `cacheLifetime` — the longest a sign-out on another replica can go unnoticed
/// here. Both are only caches of the registry's answer, so dropping them is always safe.
final class SessionRevocations: Sendable {
    /// Entries each memory holds before it forgets expired ones (and, if still full, everything).
    static let capacity = 50_000

    private struct Memory {
        /// Sessions signed out here: session key → when the session ends anyway.
        var revoked: [String: Int64] = [:]
        /// Sessions the registry said are not revoked: session key → when that answer goes stale.
        var notRevoked: [String: ContinuousClock.Instant] = [:]
    }

    private let registry: Mk_Registry_V1_DeviceRegistry.Client
    private let cacheLifetime: Duration
    private let absoluteTimeout: Duration
    private let memory = Mutex(Memory())

    /// Revocations recorded in `registry`, "not revoked" answers trusted for `cacheLifetime`;
    /// a session ends `absoluteTimeout` after sign-in.
    init(registry: Mk_Registry_V1_DeviceRegistry.Client, cacheLifetime: Duration, absoluteTimeout: Duration) {
        self.registry = registry
        self.cacheLifetime = cacheLifetime
        self.absoluteTimeout = absoluteTimeout
    }

    /// Whether `session` was signed out. Throws when the registry cannot answer (callers fail
    /// closed); runs under the request's deadline.
    func isRevoked(_ session: CitizenSession) async throws -> Bool {
        let key = Self.key(session)
        let now = ContinuousClock.now
        let remembered: Bool? = memory.withLock { memory in
            if memory.revoked[key] != nil { return true }
            if let staleAt = memory.notRevoked[key] {
                if now < staleAt { return false }
                memory.notRevoked[key] = nil
            }
            return nil
        }
        if let remembered { return remembered }
        var request = Mk_Registry_V1_IsSessionRevokedRequest()
        request.subject = session.subject
        request.sessionId = session.sessionID
        let revoked = try await registry.isSessionRevoked(request).revoked
        memory.withLock { memory in
            if revoked {
                Self.remember(key, endingAt: endOf(session), in: &memory)
            } else if cacheLifetime > .zero, memory.revoked[key] == nil {
                if memory.notRevoked.count >= Self.capacity {
                    memory.notRevoked = memory.notRevoked.filter { now < $0.value }
                    if memory.notRevoked.count >= Self.capacity { memory.notRevoked = [:] }
                }
                memory.notRevoked[key] = now.advanced(by: cacheLifetime)
            }
        }
        return revoked
    }

    /// Signs `session` out: refused on this replica at once, then recorded in the registry for
    /// every replica. Throws when the registry did not record it.
    func revoke(_ session: CitizenSession) async throws {
        let key = Self.key(session)
        let end = endOf(session)
        memory.withLock { memory in
            memory.notRevoked[key] = nil
            Self.remember(key, endingAt: end, in: &memory)
        }
        var request = Mk_Registry_V1_RevokeSessionRequest()
        request.subject = session.subject
        request.sessionId = session.sessionID
        request.expiresAtUnixMicros = end * 1_000_000
        _ = try await registry.revokeSession(request)
    }

    /// When `session` ends anyway (seconds since the epoch).
    private func endOf(_ session: CitizenSession) -> Int64 {
        session.authenticatedAt + absoluteTimeout.components.seconds
    }

    private static func key(_ session: CitizenSession) -> String {
        session.subject + " " + session.sessionID
    }

    private static func remember(_ key: String, endingAt end: Int64, in memory: inout Memory) {
        if memory.revoked.count >= capacity {
            let now = Int64(Date().timeIntervalSince1970)
            memory.revoked = memory.revoked.filter { $0.value > now }
            if memory.revoked.count >= capacity { memory.revoked = [:] }
        }
        memory.revoked[key] = end
    }
}
