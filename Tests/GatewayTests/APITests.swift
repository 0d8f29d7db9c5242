import Foundation
import HTTPTypes
import HummingbirdTesting
import MKContracts
import MKMessages
import MKRPC
import NIOCore
import Testing

@testable import Gateway

@Suite("JSON APIs and their bad inputs")
struct APITests {
    @Test func wrongMethodsAnswer405WithAllow() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            let response = try await client.execute(uri: "/api/v1/settings", method: .post)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, PUT")
            OpenAPIChecker.check(response, "PUT", "/api/v1/settings")
            let page = try await client.execute(uri: "/mobilni-klice", method: .delete)
            #expect(page.status == .methodNotAllowed)
            let unknown = try await client.execute(uri: "/api/v1/nothing", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func oversizedWronglyTypedAndMalformedBodiesAreRefused() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let uri = "/api/v1/keys/\(Fixtures.keyID)"
            let huge = "{\"displayName\":\"" + String(repeating: "x", count: 20_000) + "\"}"
            let tooLarge = try await browser.json(client, .patch, uri, huge)
            #expect(tooLarge.status == .contentTooLarge)
            OpenAPIChecker.check(tooLarge, "PATCH", "/api/v1/keys/{id}")
            var headers = HTTPFields()
            headers[.cookie] = browser.cookie
            headers[.xCSRFToken] = browser.csrf
            headers[.contentType] = "text/plain"
            let wrongType = try await client.execute(
                uri: uri, method: .patch, headers: headers, body: ByteBuffer(string: "{\"displayName\":\"x\"}"))
            #expect(wrongType.status == .unsupportedMediaType)
            OpenAPIChecker.check(wrongType, "PATCH", "/api/v1/keys/{id}")
            let malformed = try await browser.json(client, .patch, uri, "{\"displayName\":")
            #expect(malformed.status == .badRequest)
            #expect(try (jsonObject(malformed)["error"] as? [String: Any])?["reason"] as? String == "MALFORMED_JSON")
            OpenAPIChecker.check(malformed, "PATCH", "/api/v1/keys/{id}")
            let renamed = try await browser.json(client, .patch, uri, "{\"displayName\":\"Telefon\"}")
            #expect(renamed.status == .ok)
            OpenAPIChecker.check(renamed, "PATCH", "/api/v1/keys/{id}")
            let form = try await browser.post(client, "/vase-udaje", form: String(repeating: "a", count: 20_000))
            #expect(form.status == .contentTooLarge)
        }
    }

    @Test func unpairingTheLastMeansOverTheAPINeedsConfirmation() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry, lastMeans: true)
        Fixtures.scriptBok(harness.bok)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let list = try await browser.get(client, "/api/v1/keys")
            OpenAPIChecker.check(list, "GET", "/api/v1/keys")
            let last = try await browser.get(client, "/api/v1/keys/\(Fixtures.keyID)/last-means")
            OpenAPIChecker.check(last, "GET", "/api/v1/keys/{id}/last-means")
            let refused = try await browser.json(client, .delete, "/api/v1/keys/\(Fixtures.keyID)", nil)
            #expect(refused.status == .conflict)
            #expect(try (jsonObject(refused)["error"] as? [String: Any])?["reason"] as? String == "LAST_MEANS")
            OpenAPIChecker.check(refused, "DELETE", "/api/v1/keys/{id}")
            let done = try await browser.json(
                client, .delete, "/api/v1/keys/\(Fixtures.keyID)?confirmLastMeans=true", nil)
            #expect(done.status == .ok)
            OpenAPIChecker.check(done, "DELETE", "/api/v1/keys/{id}")
            let session = try await browser.get(client, "/api/v1/session")
            OpenAPIChecker.check(session, "GET", "/api/v1/session")
        }
    }

    @Test func eachCallerKindReachesOnlyItsOwnAPI() async throws {
        let harness = GatewayHarness()
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.sendInformative) {
            (request: Mk_Preferences_V1_SendInformativeRequest) in
            #expect(request.authorityId == "cssz")
            #expect(request.idempotencyKey == "k-1")
            return Mk_Preferences_V1_SendInformativeResponse(
                notificationId: "33333333-2222-4333-8444-555555555555",
                channels: [Mk_Preferences_V1_ChannelStatus(channel: .email, state: .pending)])
        }
        try await harness.test { client in
            let body = ByteBuffer(string: "{\"subject\":\"demo-jana-novakova\",\"title\":\"T\",\"body\":\"B\"}")
            func send(_ authorization: String?) async throws -> TestResponse {
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                headers[.idempotencyKey] = "k-1"
                if let authorization { headers[.authorization] = authorization }
                return try await client.execute(
                    uri: "/authority/v1/notifications", method: .post, headers: headers, body: body)
            }
            let anonymous = try await send(nil)
            #expect(anonymous.status == .unauthorized)
            OpenAPIChecker.check(anonymous, "POST", "/authority/v1/notifications")
            let office = try await send(GatewayHarness.basic("mag-brno", GatewayHarness.officeSecret))
            #expect(office.status == .unauthorized)
            let wrongSecret = try await send(GatewayHarness.basic("cssz", "guess"))
            #expect(wrongSecret.status == .unauthorized)
            let authority = try await send(GatewayHarness.basic("cssz", GatewayHarness.authoritySecret))
            #expect(authority.status == .accepted)
            OpenAPIChecker.check(authority, "POST", "/authority/v1/notifications")

            var counterHeaders = HTTPFields()
            counterHeaders[.contentType] = "application/json"
            counterHeaders[.authorization] = GatewayHarness.basic("cssz", GatewayHarness.authoritySecret)
            let counterByAuthority = try await client.execute(
                uri: "/counter/v1/verifications", method: .post, headers: counterHeaders,
                body: ByteBuffer(string: "{\"counterId\":\"1\",\"subject\":\"s\",\"purpose\":\"p\"}"))
            #expect(counterByAuthority.status == .unauthorized)
            var idpHeaders = HTTPFields()
            idpHeaders[.contentType] = "application/json"
            idpHeaders[.authorization] = GatewayHarness.basic("mag-brno", GatewayHarness.officeSecret)
            let idpByOffice = try await client.execute(
                uri: "/idp/v1/logins", method: .post, headers: idpHeaders,
                body: ByteBuffer(string: "{\"subject\":\"s\",\"means\":\"EOP\"}"))
            #expect(idpByOffice.status == .unauthorized)
            let citizen = try await Browser.signIn(client)
            let appWithSession = try await citizen.get(client, "/app/v1/inbox")
            #expect(appWithSession.status == .unauthorized)
        }
    }

    @Test func theIdentityProviderHookRecordsUseAndNotifiesInParallel() async throws {
        let harness = GatewayHarness()
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.recordUses) {
            (request: Mk_Registry_V1_RecordUsesRequest) in
            #expect(request.uses.map(\.means) == [.eop])
            return Mk_Registry_V1_RecordUsesResponse(outcomes: [Mk_Registry_V1_RecordUseOutcome(recorded: true)])
        }
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.notifyLogins) {
            (request: Mk_Preferences_V1_NotifyLoginsRequest) in
            #expect(request.logins.map(\.eventId) == ["e-1"])
            return Mk_Preferences_V1_NotifyLoginsResponse(
                outcomes: [Mk_Preferences_V1_NotifyLoginOutcome(devices: 2)])
        }
        try await harness.test { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.authorization] = GatewayHarness.basic("nia", GatewayHarness.identityProviderSecret)
            let response = try await client.execute(
                uri: "/idp/v1/logins", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"subject\":\"demo-jana-novakova\",\"means\":\"EOP\",\"eventId\":\"e-1\"}"))
            #expect(response.status == .ok)
            #expect(try jsonObject(response)["notifiedDevices"] as? Int == 2)
            OpenAPIChecker.check(response, "POST", "/idp/v1/logins")
            let bad = try await client.execute(
                uri: "/idp/v1/logins", method: .post, headers: headers,
                body: ByteBuffer(string: "{\"subject\":\"s\",\"means\":\"PASSWORD\"}"))
            #expect(bad.status == .badRequest)
            OpenAPIChecker.check(bad, "POST", "/idp/v1/logins")
        }
    }

    @Test func theOpenAPIDocumentIsServedAndValid() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let json = try jsonObject(response)
            #expect(json["openapi"] as? String == "3.1.0")
            #expect((json["paths"] as? [String: Any])?["/app/v1/bok/prompts/{id}/answer"] != nil)
        }
    }

    @Test func unsignedOrWronglySignedAppRequestsAreRefused() async throws {
        let harness = GatewayHarness()
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.verifyDeviceSignature) {
            (_: Mk_Registry_V1_VerifyDeviceSignatureRequest) in
            Mk_Registry_V1_VerifyDeviceSignatureResponse(valid: false, subject: "")
        }
        try await harness.test { client in
            let unsigned = try await client.execute(uri: "/app/v1/inbox", method: .get)
            #expect(unsigned.status == .unauthorized)
            OpenAPIChecker.check(unsigned, "GET", "/app/v1/inbox")
            var headers = HTTPFields()
            headers[.mkDevice] = Fixtures.keyID
            headers[.mkSignedAt] = "1"
            headers[.mkSignature] = "AAAA"
            let forged = try await client.execute(uri: "/app/v1/bok/prompts", method: .get, headers: headers)
            #expect(forged.status == .unauthorized)
            OpenAPIChecker.check(forged, "GET", "/app/v1/bok/prompts")
        }
    }
}
