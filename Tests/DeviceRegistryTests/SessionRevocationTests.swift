import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKServiceRuntime
import MKTestSupport
import Testing

/// `RevokeSession` and `IsSessionRevoked`: the shared memory of signed-out portal sessions that
/// lets every gateway replica refuse a copied cookie after sign-out.
@Suite("Session revocation")
struct SessionRevocationTests {
    static func newSessionID() -> String { UUID().uuidString.lowercased() }

    static func revoke(
        _ fixture: RegistryFixture, _ subject: String, _ sessionID: String, endingIn seconds: TimeInterval = 3600
    ) async throws -> Bool {
        var request = Mk_Registry_V1_RevokeSessionRequest()
        request.subject = subject
        request.sessionId = sessionID
        request.expiresAtUnixMicros = UnixMicros.from(fixture.clock.now().addingTimeInterval(seconds))
        return try await fixture.registry.revokeSession(request, options: RPCCallOptions()).revoked
    }

    static func isRevoked(_ fixture: RegistryFixture, _ subject: String, _ sessionID: String) async throws -> Bool {
        var request = Mk_Registry_V1_IsSessionRevokedRequest()
        request.subject = subject
        request.sessionId = sessionID
        return try await fixture.registry.isSessionRevoked(request, options: RPCCallOptions()).revoked
    }

    @Test func revokingIsIdempotentAndCountsOnlyForItsOwner() async throws {
        try await RegistryFixture.with(overNetwork: true) { fixture in
            let jana = RegistryFixture.newSubject()
            let petr = RegistryFixture.newSubject()
            let session = Self.newSessionID()
            let other = Self.newSessionID()
            #expect(try await !Self.isRevoked(fixture, jana, session))

            #expect(try await Self.revoke(fixture, jana, session))
            #expect(try await !Self.revoke(fixture, jana, session))
            #expect(try await Self.isRevoked(fixture, jana, session))
            #expect(try await !Self.isRevoked(fixture, jana, other))
            #expect(try await !Self.isRevoked(fixture, petr, session))

            #expect(try await Self.revoke(fixture, petr, session))
            #expect(try await Self.isRevoked(fixture, petr, session))
            let audited = try await fixture.database.query(
                "SELECT count(*) FROM audit WHERE action = 'session_revoked' AND subject = \(jana)"
            ).single(Int64.self)
            #expect(audited == 1)
        }
    }

    @Test func badRequestsAreRefusedAndRecordNothing() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let session = Self.newSessionID()
            let now = fixture.clock.now()
            let cases: [(String, String, Int64, String)] = [
                ("bad subject", session, UnixMicros.from(now) + 60_000_000, "subject"),
                ("", session, UnixMicros.from(now) + 60_000_000, "subject"),
                (subject, "not-a-uuid", UnixMicros.from(now) + 60_000_000, "session_id"),
                (subject, "", UnixMicros.from(now) + 60_000_000, "session_id"),
                (subject, session, 0, "expires_at_unix_micros"),
                (subject, session, -5, "expires_at_unix_micros"),
                (subject, session, UnixMicros.from(now.addingTimeInterval(9 * 86_400)), "expires_at_unix_micros"),
            ]
            for (badSubject, badSession, expiresAt, field) in cases {
                var request = Mk_Registry_V1_RevokeSessionRequest()
                request.subject = badSubject
                request.sessionId = badSession
                request.expiresAtUnixMicros = expiresAt
                let refused = await rpcError {
                    try await fixture.registry.revokeSession(request, options: RPCCallOptions())
                }
                #expect(refused?.code == .invalidArgument, "\(field)")
                #expect(refused?.message.hasPrefix(field) == true, "\(refused?.message ?? "")")
            }
            let stored = try await fixture.database.query("SELECT count(*) FROM revoked_session").single(Int64.self)
            #expect(stored == 0)
            let unknown = await rpcError {
                try await fixture.registry.isSessionRevoked(
                    .init(subject: subject, sessionId: "x"), options: RPCCallOptions())
            }
            #expect(unknown?.code == .invalidArgument)
        }
    }

    @Test func aRevocationEndsWithItsSessionAndIsPurgedAfterwards() async throws {
        try await RegistryFixture.with { fixture in
            let subject = RegistryFixture.newSubject()
            let ending = Self.newSessionID()
            let lasting = Self.newSessionID()
            #expect(try await Self.revoke(fixture, subject, ending, endingIn: 60))
            #expect(try await Self.revoke(fixture, subject, lasting, endingIn: 7200))
            #expect(try await Self.isRevoked(fixture, subject, ending))

            fixture.clock.advance(by: 61)
            #expect(try await !Self.isRevoked(fixture, subject, ending))
            #expect(try await Self.isRevoked(fixture, subject, lasting))
            #expect(try await !Self.revoke(fixture, subject, Self.newSessionID(), endingIn: -1))
            let left = try await fixture.database.query("SELECT session_id::text FROM revoked_session").decode(
                String.self)
            #expect(left == [lasting])
        }
    }

    @Test func onlyTheGatewayMayRevokeOrAsk() {
        let policy = DeviceRegistryService.authorizationPolicy
        for method in [
            Mk_Registry_V1_DeviceRegistry.Method.revokeSession, Mk_Registry_V1_DeviceRegistry.Method.isSessionRevoked,
        ] {
            #expect(policy.callers(allowedToCall: method.fullName) == ["gateway"])
        }
    }
}
