import Foundation
import HTTPTypes
import HummingbirdTesting
import MKContracts
import MKMessages
import MKRPC
import NIOCore
import Testing

@testable import Gateway

@Suite("The office credential API (/office/v1/bok)")
struct OfficeAPITests {
    static let subject = "demo-petr-svoboda"
    static let office = GatewayHarness.basic("mag-brno", GatewayHarness.officeSecret)

    /// Sends `body` (JSON unless `contentType` says otherwise) with `authorization`.
    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil,
        authorization: String? = office, contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// The error body's message and reason (what could repeat a value; the correlation id cannot).
    static func message(_ response: TestResponse) throws -> String {
        let detail = try jsonObject(response)["error"] as? [String: Any]
        return "\(detail?["message"] as? String ?? "") \(detail?["reason"] as? String ?? "")"
    }

    /// The error body's `code` and `reason`.
    static func error(_ response: TestResponse) throws -> (code: String?, reason: String?) {
        let detail = try jsonObject(response)["error"] as? [String: Any]
        return (detail?["code"] as? String, detail?["reason"] as? String)
    }

    @Test func anOfficeSetsReadsUnblocksAndClearsABok() async throws {
        let harness = GatewayHarness()
        let bok = ScriptedBok()
        bok.install(on: harness.bok)
        try await harness.test { client in
            let none = try await Self.send(client, .get, "/office/v1/bok/\(Self.subject)")
            #expect(none.status == .ok)
            #expect(try jsonObject(none)["state"] as? String == "NONE")
            OpenAPIChecker.check(none, "GET", "/office/v1/bok/{subject}")

            // The office comes from the credentials; an "office" in the body is ignored.
            let set = try await Self.send(
                client, .post, "/office/v1/bok",
                "{\"subject\":\"\(Self.subject)\",\"code\":\"482915\",\"office\":{\"officeId\":\"forged\"}}")
            #expect(set.status == .created)
            #expect(try jsonObject(set)["state"] as? String == "ACTIVE")
            #expect(!String(buffer: set.body).contains("482915"))
            OpenAPIChecker.check(set, "POST", "/office/v1/bok")

            let again = try await Self.send(
                client, .post, "/office/v1/bok", "{\"subject\":\"\(Self.subject)\",\"code\":\"1111\"}")
            #expect(again.status == .conflict)
            #expect(try Self.error(again).code == "ALREADY_EXISTS")
            OpenAPIChecker.check(again, "POST", "/office/v1/bok")

            let active = try await Self.send(client, .get, "/office/v1/bok/\(Self.subject)")
            #expect(try jsonObject(active)["state"] as? String == "ACTIVE")
            #expect(try jsonObject(active)["attemptsLeft"] as? Int == 3)
            OpenAPIChecker.check(active, "GET", "/office/v1/bok/{subject}")

            let unblocked = try await Self.send(
                client, .post, "/office/v1/bok/unblock", "{\"subject\":\"\(Self.subject)\",\"newCode\":\"0123456789\"}")
            #expect(unblocked.status == .ok)
            #expect(try jsonObject(unblocked)["state"] as? String == "ACTIVE")
            #expect(!String(buffer: unblocked.body).contains("0123456789"))
            OpenAPIChecker.check(unblocked, "POST", "/office/v1/bok/unblock")

            let cleared = try await Self.send(client, .delete, "/office/v1/bok/\(Self.subject)")
            #expect(cleared.status == .ok)
            #expect(try jsonObject(cleared)["state"] as? String == "NONE")
            OpenAPIChecker.check(cleared, "DELETE", "/office/v1/bok/{subject}")

            let nothingToUnblock = try await Self.send(
                client, .post, "/office/v1/bok/unblock", "{\"subject\":\"\(Self.subject)\",\"newCode\":\"1234\"}")
            #expect(nothingToUnblock.status == .notFound)
            OpenAPIChecker.check(nothingToUnblock, "POST", "/office/v1/bok/unblock")
        }
        #expect(
            bok.log == [
                "status \(Self.subject)",
                "set mag-brno Magistrát města Brna||\(Self.subject) 482915",
                "set mag-brno Magistrát města Brna||\(Self.subject) 1111",
                "status \(Self.subject)",
                "unblock mag-brno \(Self.subject) 0123456789",
                "clear mag-brno \(Self.subject)",
                "unblock mag-brno \(Self.subject) 1234",
            ])
    }

    @Test func badInputsAreRefusedBeforeTheBokService() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            for code in ["12a4", "123", "12345678901", "", "١٢٣٤", "12 34", "+1234", "1234\u{0}"] {
                let encoded = String(decoding: try JSONEncoder().encode(code), as: UTF8.self)
                for (uri, field) in [("/office/v1/bok", "code"), ("/office/v1/bok/unblock", "newCode")] {
                    let response = try await Self.send(
                        client, .post, uri, "{\"subject\":\"\(Self.subject)\",\"\(field)\":\(encoded)}")
                    #expect(response.status == .badRequest, "\(uri) \(code)")
                    #expect(try Self.error(response).reason == "INVALID_BOK")
                    if code.count > 2 { #expect(try !Self.message(response).contains(code)) }
                    OpenAPIChecker.check(response, "POST", uri)
                }
            }
            let missingSubject = try await Self.send(client, .post, "/office/v1/bok", "{\"code\":\"1234\"}")
            #expect(missingSubject.status == .badRequest)
            #expect(try Self.error(missingSubject).reason == "MALFORMED_JSON")
            OpenAPIChecker.check(missingSubject, "POST", "/office/v1/bok")
            let missingCode = try await Self.send(
                client, .post, "/office/v1/bok/unblock", "{\"subject\":\"\(Self.subject)\",\"code\":\"1234\"}")
            #expect(try Self.error(missingCode).reason == "MALFORMED_JSON")
            let numericCode = try await Self.send(
                client, .post, "/office/v1/bok", "{\"subject\":\"\(Self.subject)\",\"code\":1234}")
            #expect(numericCode.status == .badRequest)
            let badSubject = try await Self.send(
                client, .post, "/office/v1/bok", "{\"subject\":\"a b\",\"code\":\"1234\"}")
            #expect(badSubject.status == .badRequest)
            #expect(try Self.error(badSubject).reason == "INVALID_SUBJECT")
            OpenAPIChecker.check(badSubject, "POST", "/office/v1/bok")
            let emptySubject = try await Self.send(
                client, .post, "/office/v1/bok", "{\"subject\":\"\",\"code\":\"1234\"}")
            #expect(try Self.error(emptySubject).reason == "INVALID_SUBJECT")
            let badPathSubject = try await Self.send(client, .get, "/office/v1/bok/a%20b")
            #expect(badPathSubject.status == .badRequest)
            OpenAPIChecker.check(badPathSubject, "GET", "/office/v1/bok/{subject}")
            let badClear = try await Self.send(client, .delete, "/office/v1/bok/\(String(repeating: "x", count: 129))")
            #expect(badClear.status == .badRequest)
            OpenAPIChecker.check(badClear, "DELETE", "/office/v1/bok/{subject}")

            let malformed = try await Self.send(client, .post, "/office/v1/bok", "{\"subject\":")
            #expect(malformed.status == .badRequest)
            #expect(try Self.error(malformed).reason == "MALFORMED_JSON")
            OpenAPIChecker.check(malformed, "POST", "/office/v1/bok")
            let wrongType = try await Self.send(
                client, .post, "/office/v1/bok", "subject=\(Self.subject)&code=1234",
                contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .unsupportedMediaType)
            OpenAPIChecker.check(wrongType, "POST", "/office/v1/bok")
            let noType = try await client.execute(
                uri: "/office/v1/bok/unblock", method: .post, headers: [.authorization: Self.office],
                body: ByteBuffer(string: "{\"subject\":\"\(Self.subject)\",\"newCode\":\"1234\"}"))
            #expect(noType.status == .unsupportedMediaType)
            OpenAPIChecker.check(noType, "POST", "/office/v1/bok/unblock")
            let huge = "{\"subject\":\"\(Self.subject)\",\"code\":\"" + String(repeating: "1", count: 20_000) + "\"}"
            let tooLarge = try await Self.send(client, .post, "/office/v1/bok", huge)
            #expect(tooLarge.status == .contentTooLarge)
            OpenAPIChecker.check(tooLarge, "POST", "/office/v1/bok")
            let wrongMethod = try await Self.send(client, .put, "/office/v1/bok", "{}")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")
        }
        #expect(harness.bok.called.isEmpty)
    }

    @Test func aBokServiceThatDoesNotAnswerGives503() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            let set = try await Self.send(
                client, .post, "/office/v1/bok", "{\"subject\":\"\(Self.subject)\",\"code\":\"1234\"}")
            #expect(set.status == .serviceUnavailable)
            #expect(try !Self.message(set).contains("1234"))
            OpenAPIChecker.check(set, "POST", "/office/v1/bok")
            let status = try await Self.send(client, .get, "/office/v1/bok/\(Self.subject)")
            #expect(status.status == .serviceUnavailable)
            OpenAPIChecker.check(status, "GET", "/office/v1/bok/{subject}")
        }
    }

    static let setBody = "{\"subject\":\"\(subject)\",\"code\":\"1234\"}"

    /// Each office call, with its body and its OpenAPI template.
    static let officeCalls: [(method: HTTPRequest.Method, uri: String, body: String?, template: String)] = [
        (.post, "/office/v1/bok", setBody, "/office/v1/bok"),
        (.post, "/office/v1/bok/unblock", "{\"subject\":\"\(subject)\",\"newCode\":\"1234\"}", "/office/v1/bok/unblock"),
        (.delete, "/office/v1/bok/\(subject)", nil, "/office/v1/bok/{subject}"),
        (.get, "/office/v1/bok/\(subject)", nil, "/office/v1/bok/{subject}"),
    ]

    /// Each office call refused alike to every other caller kind (one router per call, so the
    /// failed-credential limit of one client address is not what answers).
    @Test(arguments: 0..<4)
    func otherCallerKindsGetTheSameRefusalAsOnOtherForeignAPIs(_ index: Int) async throws {
        let call = Self.officeCalls[index]
        let harness = GatewayHarness()
        let bok = ScriptedBok()
        bok.install(on: harness.bok)
        Fixtures.scriptRegistry(harness.registry)
        try await harness.test { client in
            let citizen = try await Browser.signIn(client)
            let strangers: [(String, HTTPFields)] = [
                ("anonymous", [:]),
                ("authority", [.authorization: GatewayHarness.basic("cssz", GatewayHarness.authoritySecret)]),
                ("identity provider", [.authorization: GatewayHarness.basic("nia", GatewayHarness.identityProviderSecret)]),
                ("office with a wrong secret", [.authorization: GatewayHarness.basic("mag-brno", "guess")]),
                ("citizen", [.cookie: citizen.cookie, .xCSRFToken: citizen.csrf]),
                ("device", [.mkDevice: Fixtures.keyID, .mkSignedAt: "1", .mkSignature: "AAAA"]),
            ]
            for (who, fields) in strangers {
                var headers = fields
                if call.body != nil { headers[.contentType] = "application/json" }
                let response = try await client.execute(
                    uri: call.uri, method: call.method, headers: headers, body: call.body.map { ByteBuffer(string: $0) })
                #expect(response.status == .unauthorized, "\(who) \(call.method) \(call.uri)")
                #expect(try Self.error(response).code == "UNAUTHENTICATED")
                #expect(response.headers[.wwwAuthenticate] == "Basic realm=\"Mobilni klic\", charset=\"UTF-8\"")
                OpenAPIChecker.check(response, call.method.rawValue, call.template)
            }
        }
        #expect(bok.log.isEmpty)
    }

    @Test func theRefusalMatchesOtherForeignAPIsAndOfficeCredentialsStayOffThem() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            var foreign = HTTPFields()
            foreign[.contentType] = "application/json"
            foreign[.authorization] = GatewayHarness.basic("cssz", GatewayHarness.authoritySecret)
            let counter = try await client.execute(
                uri: "/counter/v1/verifications", method: .post, headers: foreign,
                body: ByteBuffer(string: "{\"counterId\":\"1\",\"subject\":\"s\",\"purpose\":\"p\"}"))
            let office = try await client.execute(
                uri: "/office/v1/bok", method: .post, headers: foreign, body: ByteBuffer(string: Self.setBody))
            #expect(office.status == .unauthorized)
            #expect(counter.status == office.status)
            #expect(try Self.error(counter).code == Self.error(office).code)
            #expect(try Self.error(counter).reason == Self.error(office).reason)
            #expect(counter.headers[.wwwAuthenticate] == office.headers[.wwwAuthenticate])
            var officeHeaders = HTTPFields()
            officeHeaders[.contentType] = "application/json"
            officeHeaders[.idempotencyKey] = "k-1"
            officeHeaders[.authorization] = Self.office
            let authority = try await client.execute(
                uri: "/authority/v1/notifications", method: .post, headers: officeHeaders,
                body: ByteBuffer(string: "{\"subject\":\"s\",\"title\":\"T\",\"body\":\"B\"}"))
            #expect(authority.status == .unauthorized)
        }
        #expect(harness.bok.called.isEmpty)
    }
}
