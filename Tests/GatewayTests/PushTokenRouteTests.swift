import DeviceRegistry
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import MKContracts
import MKMessages
import MKRPC
import MKTestSupport
import MobileKeySimulator
import NIOCore
import Synchronization
import Testing

@testable import Gateway

/// `POST /app/v1/push-token`: a key registers its own push token with the Preferences service
/// (scripted here, recording what reaches it); the key and its owner come from the signature
/// checked by the real Device Registry, never from the body.
@Suite("Push token route")
struct PushTokenRouteTests {
    /// The RegisterPushToken calls that reached the Preferences service.
    final class Registrations: Sendable {
        private let calls = Mutex<[Mk_Preferences_V1_RegisterPushTokenRequest]>([])

        var all: [Mk_Preferences_V1_RegisterPushTokenRequest] { calls.withLock { $0 } }

        /// Scripts `preferences` to record every registration and accept it.
        func script(_ preferences: FakeBackend) {
            preferences.on(Mk_Preferences_V1_Preferences.Method.registerPushToken) {
                (request: Mk_Preferences_V1_RegisterPushTokenRequest) in
                self.calls.withLock { $0.append(request) }
                return Mk_Preferences_V1_RegisterPushTokenResponse()
            }
        }
    }

    @Test func aKeyRegistersOnlyItsOwnTokenAndForeignOrForgedRequestsChangeNothing() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "gateway") { isolated in
            try await isolated.withClient { database in
                try await DeviceRegistryMigrations.apply(to: database, schema: isolated.schema)
                let logger = Logger(label: "gateway-push-token")
                let service = DeviceRegistryService(client: database, logger: logger)
                let server = RPCServer(host: "127.0.0.1", port: 0, services: [service], logger: logger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await server.run() }
                    let port = try #require(try await server.listeningAddress().port)
                    let registry = RPCClient(host: "127.0.0.1", port: port, logger: logger)
                    defer {
                        registry.shutdown()
                        server.beginGracefulShutdown()
                    }
                    try await registerOverTheRealRegistry(registry)
                    registry.shutdown()
                    server.beginGracefulShutdown()
                    try await group.waitForAll()
                }
            }
        }
    }

    private func registerOverTheRealRegistry(_ registry: RPCClient) async throws {
        let harness = GatewayHarness()
        let registrations = Registrations()
        registrations.script(harness.preferences)
        let backends = GatewayBackends(registry: registry, preferences: harness.preferences, bok: harness.bok)
        try await harness.test(backends: backends) { client in
            let petr = try await pair(try await Browser.signIn(client, subject: "demo-petr-svoboda"), client)
            let jana = try await pair(try await Browser.signIn(client, subject: "demo-jana-novakova"), client)

            #expect(try await petr.registerPushToken("apns:0a1B2c-3d_4e.5f~6") == true)
            let first = try #require(registrations.all.first)
            #expect(registrations.all.count == 1)
            #expect(first.subject == "demo-petr-svoboda")
            #expect(first.deviceId == petr.deviceID)
            #expect(first.pushToken == "apns:0a1B2c-3d_4e.5f~6")

            // Naming another citizen's key in the body changes nothing: the signature decides.
            let smuggled = try await petr.signed(
                "POST", "/app/v1/push-token",
                json: ["pushToken": "smuggled", "subject": "demo-jana-novakova", "deviceId": jana.deviceID])
            #expect(smuggled.status == 200)
            #expect(registrations.all.last?.subject == "demo-petr-svoboda")
            #expect(registrations.all.last?.deviceId == petr.deviceID)

            // Petr's key claiming to be Jana's key: the signature does not match hers.
            let impostor = MobileKeySimulator(
                deviceID: jana.deviceID, privateKey: petr.privateKey, transport: RouterTransport(client: client))
            let before = registrations.all.count
            let foreign = try await impostor.signed("POST", "/app/v1/push-token", json: ["pushToken": "stolen"])
            #expect(foreign.status == 401)
            #expect(registrations.all.count == before)

            #expect(try await jana.registerPushToken("") == false)
            #expect(registrations.all.last?.subject == "demo-jana-novakova")
            #expect(registrations.all.last?.deviceId == jana.deviceID)
            #expect(registrations.all.last?.pushToken == "")
            #expect(registrations.all.count == before + 1)
        }
    }

    /// Pairs a new simulated phone for the signed-in `browser`'s citizen.
    private func pair(_ browser: Browser, _ client: any TestClientProtocol) async throws -> MobileKeySimulator {
        let page = String(buffer: try await browser.post(client, "/pripojeni", form: "").body)
        let code = try #require(between(page, "aria-label=\"Aktivační kód ", "\""))
        return try await MobileKeySimulator.pair(activationCode: code, transport: RouterTransport(client: client))
    }

    @Test func unsignedOrWronglySignedRequestsAreRefusedAndChangeNothing() async throws {
        let harness = GatewayHarness()
        let registrations = Registrations()
        registrations.script(harness.preferences)
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.verifyDeviceSignature) {
            (_: Mk_Registry_V1_VerifyDeviceSignatureRequest) in
            Mk_Registry_V1_VerifyDeviceSignatureResponse(valid: false, subject: "")
        }
        try await harness.test { client in
            let unsigned = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"pushToken\":\"abc\"}"))
            #expect(unsigned.status == .unauthorized)
            #expect(try jsonObject(unsigned)["error"] != nil)
            OpenAPIChecker.check(unsigned, "POST", "/app/v1/push-token")
            var headers = Self.signedHeaders
            headers[.contentType] = "application/json"
            let forged = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"pushToken\":\"abc\"}"))
            #expect(forged.status == .unauthorized)
            OpenAPIChecker.check(forged, "POST", "/app/v1/push-token")
        }
        #expect(registrations.all.isEmpty)
    }

    @Test(arguments: [
        ("{}", "MALFORMED_JSON"),
        ("{\"pushToken\": 42}", "MALFORMED_JSON"),
        ("{\"pushToken\": null}", "MALFORMED_JSON"),
        ("[\"abc\"]", "MALFORMED_JSON"),
        ("{\"pushToken\": \"abc", "MALFORMED_JSON"),
        ("{\"pushToken\": \"with space\"}", "INVALID_PUSH_TOKEN"),
        ("{\"pushToken\": \"token/../x\"}", "INVALID_PUSH_TOKEN"),
        ("{\"pushToken\": \"tokén\"}", "INVALID_PUSH_TOKEN"),
        ("{\"pushToken\": \"\(String(repeating: "a", count: 4097))\"}", "INVALID_PUSH_TOKEN"),
    ])
    func badBodiesAreClearErrorsAndChangeNothing(body: String, reason: String) async throws {
        let (harness, registrations) = Self.signedHarness()
        try await harness.test { client in
            var headers = Self.signedHeaders
            headers[.contentType] = "application/json"
            let response = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let error = try #require(try jsonObject(response)["error"] as? [String: Any])
            #expect(error["reason"] as? String == reason)
            #expect((error["message"] as? String)?.isEmpty == false)
            OpenAPIChecker.check(response, "POST", "/app/v1/push-token")
        }
        #expect(registrations.all.isEmpty)
    }

    @Test func aTokenOfTheLongestLengthIsAccepted() async throws {
        let (harness, registrations) = Self.signedHarness()
        let token = String(repeating: "A1.:_~-", count: 585) + "x"
        #expect(token.count == 4096)
        try await harness.test { client in
            var headers = Self.signedHeaders
            headers[.contentType] = "application/json; charset=utf-8"
            let response = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"pushToken\":\"\(token)\"}"))
            #expect(response.status == .ok)
            #expect(try jsonObject(response)["registered"] as? Bool == true)
            OpenAPIChecker.check(response, "POST", "/app/v1/push-token")
        }
        #expect(registrations.all.map(\.pushToken) == [token])
        #expect(registrations.all.first?.subject == "demo-jana-novakova")
        #expect(registrations.all.first?.deviceId == Fixtures.keyID)
    }

    @Test func oversizedOrNonJSONBodiesAreRefusedBeforeAnythingHappens() async throws {
        let (harness, registrations) = Self.signedHarness()
        try await harness.test { client in
            var headers = Self.signedHeaders
            headers[.contentType] = "application/json"
            let filler = String(repeating: "a", count: harness.configuration.maximumBodyBytes)
            let oversized = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"pushToken\":\"\(filler)\"}"))
            #expect(oversized.status == .contentTooLarge)
            OpenAPIChecker.check(oversized, "POST", "/app/v1/push-token")

            headers[.contentType] = "application/x-www-form-urlencoded"
            let form = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers, body: ByteBuffer(string: "pushToken=abc"))
            #expect(form.status == .unsupportedMediaType)
            OpenAPIChecker.check(form, "POST", "/app/v1/push-token")

            headers[.contentType] = nil
            let untyped = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"pushToken\":\"abc\"}"))
            #expect(untyped.status == .unsupportedMediaType)
        }
        #expect(registrations.all.isEmpty)
        #expect(!harness.registry.called.contains("VerifyDeviceSignature"))
    }

    @Test func aKeyThePreferencesServiceNoLongerKnowsIsNotFound() async throws {
        let (harness, _) = Self.signedHarness()
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.registerPushToken) {
            (_: Mk_Preferences_V1_RegisterPushTokenRequest) async throws
                -> Mk_Preferences_V1_RegisterPushTokenResponse in throw RPCError(.notFound, "no such device")
        }
        try await harness.test { client in
            var headers = Self.signedHeaders
            headers[.contentType] = "application/json"
            let response = try await client.execute(
                uri: "/app/v1/push-token", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"pushToken\":\"abc\"}"))
            #expect(response.status == .notFound)
            OpenAPIChecker.check(response, "POST", "/app/v1/push-token")
        }
    }

    /// Syntactically complete device headers; whether they verify is up to the scripted registry.
    private static var signedHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.mkDevice] = Fixtures.keyID
        headers[.mkSignedAt] = "1"
        headers[.mkSignature] = "AAAA"
        return headers
    }

    /// A harness whose registry accepts every signature as Jana's key `Fixtures.keyID`, and whose
    /// Preferences service records registrations.
    private static func signedHarness() -> (GatewayHarness, Registrations) {
        let harness = GatewayHarness()
        let registrations = Registrations()
        registrations.script(harness.preferences)
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.verifyDeviceSignature) {
            (request: Mk_Registry_V1_VerifyDeviceSignatureRequest) in
            Mk_Registry_V1_VerifyDeviceSignatureResponse(
                valid: request.deviceId == Fixtures.keyID, subject: "demo-jana-novakova")
        }
        return (harness, registrations)
    }
}
