import DeviceRegistry
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MKContracts
import MKMessages
import MKRPC
import MKTestSupport
import Synchronization
import Testing

@testable import Gateway

/// Sign-out revokes the session on every replica: a copy of the cookie replayed afterwards gets
/// the signed-out answer from the gateway that signed out and from another one sharing the
/// Device Registry, while the citizen's other sessions go on; a registry that cannot answer makes
/// citizen pages fail closed.
@Suite("Sign-out revocation")
struct SignOutRevocationTests {
    @Test func aSignedOutCookieIsRefusedByEveryReplicaWhileOtherSessionsGoOn() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "gateway") { isolated in
            try await isolated.withClient { database in
                try await DeviceRegistryMigrations.apply(to: database, schema: isolated.schema)
                let logger = Logger(label: "gateway-revocation")
                let service = DeviceRegistryService(client: database, logger: logger)
                try await LoopbackRPC.serving([service], logger: logger) { registry in
                    try await twoReplicas(registry: registry)
                }
            }
        }
    }

    /// Replica A signs out (and, trusting "not revoked" answers for 2 s, must remember its own
    /// sign-out at once); replica B asks the registry on every request.
    private func twoReplicas(registry: any RPCCaller) async throws {
        let harness = GatewayHarness()
        let backends = GatewayBackends(registry: registry, preferences: harness.preferences, bok: harness.bok)
        let logger = Logger(label: "gateway-revocation")
        let routerA = try await buildRouter(configuration: harness.configuration, backends: backends, logger: logger)
        var configurationB = harness.configuration
        configurationB.sessionRevocationCache = .zero
        let replicaB = Application(
            router: try await buildRouter(configuration: configurationB, backends: backends, logger: logger))
        try await Application(router: routerA).test(.router) { a in
            try await replicaB.test(.router) { b in
                let copied = try await Browser.signIn(a, subject: "demo-petr-svoboda")
                let other = try await Browser.signIn(b, subject: "demo-petr-svoboda")
                #expect(try await copied.get(b, "/api/v1/session").status == .ok)

                let signedOut = try await copied.post(a, "/odhlaseni", form: "")
                #expect(signedOut.status == .seeOther)
                #expect(signedOut.headers[.location] == "/prihlaseni?duvod=odhlaseno")
                #expect(cookies(signedOut)["mk_session"] == "")

                for (replica, client) in [("A", a), ("B", b)] {
                    let page = try await copied.get(client, "/pripojeni")
                    #expect(page.status == .seeOther, "\(replica)")
                    #expect(page.headers[.location] == "/prihlaseni?duvod=odhlaseno", "\(replica)")
                    #expect(cookies(page)["mk_session"] == "", "\(replica)")
                    let api = try await copied.get(client, "/api/v1/session")
                    #expect(api.status == .unauthorized, "\(replica)")
                    OpenAPIChecker.check(api, "GET", "/api/v1/session")
                    let change = try await copied.json(
                        client, .patch, "/api/v1/keys/\(Fixtures.keyID)", "{\"displayName\":\"X\"}")
                    #expect(change.status == .unauthorized, "\(replica)")

                    #expect(try await other.get(client, "/api/v1/session").status == .ok, "\(replica)")
                    let otherPage = try await other.get(client, "/pripojeni")
                    #expect(otherPage.status == .ok, "\(replica)")
                }
                let again = try await copied.post(b, "/odhlaseni", form: "")
                #expect(again.headers[.location] == "/prihlaseni?duvod=odhlaseno")
            }
        }
    }

    @Test func signOutRecordsTheSessionUntilItsAbsoluteEnd() async throws {
        let harness = GatewayHarness()
        let recorded = RecordedRevocations()
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.revokeSession) {
            (request: Mk_Registry_V1_RevokeSessionRequest) in
            recorded.requests.withLock { $0.append(request) }
            return Mk_Registry_V1_RevokeSessionResponse()
        }
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let signedInAt = Int64(Date().timeIntervalSince1970)
            let refused = try await browser.post(client, "/odhlaseni", form: "", csrf: false)
            #expect(refused.status == .forbidden)
            #expect(recorded.requests.withLock { $0.isEmpty })

            #expect(try await browser.post(client, "/odhlaseni", form: "").status == .seeOther)
            let request = try #require(recorded.requests.withLock { $0.first })
            #expect(request.subject == "demo-jana-novakova")
            #expect(UUID(uuidString: request.sessionId) != nil)
            #expect(request.sessionId == request.sessionId.lowercased())
            let end = signedInAt + 8 * 3600
            #expect((end - 5...end + 5).contains(request.expiresAtUnixMicros / 1_000_000))

            // The registry fake never says "revoked": this replica refuses the cookie from memory.
            #expect(try await browser.get(client, "/api/v1/session").status == .unauthorized)
            let fresh = try await Browser.signIn(client)
            #expect(try await fresh.get(client, "/api/v1/session").status == .ok)
        }
    }

    @Test func citizenPagesFailClosedWhileTheRegistryCannotTell() async throws {
        let harness = GatewayHarness(sessionRevocationCache: .zero)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.isSessionRevoked) {
                (_: Mk_Registry_V1_IsSessionRevokedRequest) -> Mk_Registry_V1_IsSessionRevokedResponse in
                throw RPCError(.unavailable, "registry down")
            }
            harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.revokeSession) {
                (_: Mk_Registry_V1_RevokeSessionRequest) -> Mk_Registry_V1_RevokeSessionResponse in
                throw RPCError(.unavailable, "registry down")
            }
            let page = try await browser.get(client, "/pripojeni")
            #expect(page.status == .serviceUnavailable)
            #expect(String(buffer: page.body).contains("dočasně nedostupná"))
            #expect(cookies(page)["mk_session"] == nil)
            let api = try await browser.get(client, "/api/v1/session")
            #expect(api.status == .serviceUnavailable)
            OpenAPIChecker.check(api, "GET", "/api/v1/session")
            #expect(try await client.execute(uri: "/prihlaseni", method: .get).status == .ok)

            let signOut = try await browser.post(client, "/odhlaseni", form: "")
            #expect(signOut.status == .serviceUnavailable)
            #expect(cookies(signOut)["mk_session"] == "")
        }
    }
}

/// The `RevokeSession` requests a fake registry received.
final class RecordedRevocations: Sendable {
    let requests = Mutex<[Mk_Registry_V1_RevokeSessionRequest]>([])
}
