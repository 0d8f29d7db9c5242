import Crypto
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
import Testing

@testable import Gateway

/// The whole citizen journey over the real Device Registry (its service on a loopback RPC port,
/// its schema on the test database) with the simulator as the phone. Preferences and BOK are
/// scripted here; the BOK fake really opens the HPKE ciphertext, proving the simulator's
/// encryption and the gateway's pass-through.
@Suite("Citizen journey")
struct CitizenJourneyTests {
    @Test func pairRenameNotifyVerifyNotMeAndUnpairTheLastKey() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "gateway") { isolated in
            try await isolated.withClient { database in
                try await DeviceRegistryMigrations.apply(to: database, schema: isolated.schema)
                let logger = Logger(label: "gateway-journey")
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
                    try await journey(registry: registry)
                    registry.shutdown()
                    server.beginGracefulShutdown()
                    try await group.waitForAll()
                }
            }
        }
    }

    private func journey(registry: RPCClient) async throws {
        let harness = GatewayHarness()
        let hpke = P256.KeyAgreement.PrivateKey()
        scriptPreferencesAndBok(harness, hpke: hpke)
        let backends = GatewayBackends(registry: registry, preferences: harness.preferences, bok: harness.bok)
        try await harness.test(backends: backends) { client in
            let browser = try await Browser.signIn(client, subject: "demo-petr-svoboda")
            let phone = try await pair(browser, client)

            let list = String(buffer: try await browser.get(client, "/mobilni-klice").body)
            #expect(list.contains("Simulátor (Mobilní klíč simulátor)"))
            #expect(list.contains("dosud nepoužito"))

            let renamed = try await browser.post(
                client, "/mobilni-klice/\(phone.deviceID)/prejmenovat", form: "name=Petr%C5%AFv+telefon")
            #expect(renamed.status == .seeOther)
            #expect(String(buffer: try await browser.get(client, "/mobilni-klice").body).contains("Petrův telefon"))

            let inbox = try await phone.inbox()
            #expect(inbox.first?["title"] as? String == "Přihlášení k Národnímu bodu")
            #expect(try await phone.acknowledge([try #require(inbox.first?["messageId"] as? String)]) == 1)

            let prompt = try #require(try await phone.prompts().first)
            let requestID = try #require(prompt["requestId"] as? String)
            let (state, _) = try await phone.answer(requestID: requestID, counterCode: "482913", bok: "1234")
            #expect(state == "VERIFIED")
            let (wrong, left) = try await phone.answer(requestID: requestID, counterCode: "482913", bok: "9999")
            #expect(wrong == "WRONG_BOK")
            #expect(left == 2)

            let second = try await pair(browser, client)
            #expect(try await phone.notMe(concerning: second.deviceID))
            let afterNotMe = try await second.signed("GET", "/app/v1/inbox")
            #expect(afterNotMe.status == 401)

            let confirm = String(buffer: try await browser.get(client, "/mobilni-klice/\(phone.deviceID)/odpojit").body)
            #expect(confirm.contains(UnpairPage.lastMeansWarning))
            let refused = try await browser.post(client, "/mobilni-klice/\(phone.deviceID)/odpojit", form: "")
            #expect(refused.status == .conflict)
            let unpaired = try await browser.post(
                client, "/mobilni-klice/\(phone.deviceID)/odpojit", form: "confirm_last_means=1")
            #expect(unpaired.status == .seeOther)
            let empty = String(buffer: try await browser.get(client, "/mobilni-klice").body)
            #expect(empty.contains("nemáte připojen žádný Mobilní klíč"))
            #expect(try await phone.signed("GET", "/app/v1/inbox").status == 401)

            let history = try await browser.get(client, "/api/v1/history")
            OpenAPIChecker.check(history, "GET", "/api/v1/history")
            let events = try #require(try jsonObject(history)["entries"] as? [[String: Any]]).compactMap {
                $0["event"] as? String
            }
            #expect(events.contains("Připojení Mobilního klíče"))
            #expect(events.contains("Přejmenování zařízení"))
            #expect(events.contains("Odpojení Mobilního klíče"))
        }
    }

    /// Starts a pairing in the portal, redeems it with a new simulated phone, and checks the portal
    /// notices the completion.
    private func pair(_ browser: Browser, _ client: any TestClientProtocol) async throws -> MobileKeySimulator {
        let page = String(buffer: try await browser.post(client, "/pripojeni", form: "").body)
        let code = try #require(between(page, "aria-label=\"Aktivační kód ", "\""))
        let pairingID = try #require(between(page, "data-pairing-id=\"", "\""))
        let pending = try await browser.get(client, "/api/v1/pairings/\(pairingID)")
        #expect(try jsonObject(pending)["state"] as? String == "PENDING")
        let phone = try await MobileKeySimulator.pair(activationCode: code, transport: RouterTransport(client: client))
        let done = try await browser.get(client, "/api/v1/pairings/\(pairingID)")
        OpenAPIChecker.check(done, "GET", "/api/v1/pairings/{id}")
        #expect(try jsonObject(done)["state"] as? String == "COMPLETED")
        let status = String(buffer: try await browser.get(client, "/pripojeni/\(pairingID)").body)
        #expect(status.contains("Mobilní klíč byl úspěšně připojen"))
        return phone
    }

    private func scriptPreferencesAndBok(_ harness: GatewayHarness, hpke: P256.KeyAgreement.PrivateKey) {
        let messageID = "44444444-2222-4333-8444-555555555555"
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.listInbox) {
            (request: Mk_Preferences_V1_ListInboxRequest) in
            var message = Mk_Preferences_V1_InboxMessage()
            message.messageId = messageID
            message.kind = .login
            message.title = "Přihlášení k Národnímu bodu"
            message.body = "Právě proběhlo přihlášení."
            message.concernsDeviceId = request.deviceId
            return Mk_Preferences_V1_ListInboxResponse(messages: [message])
        }
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.ackInbox) { (request: Mk_Preferences_V1_AckInboxRequest) in
            Mk_Preferences_V1_AckInboxResponse(acknowledged: UInt32(request.messageIds.count))
        }
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.listNotices) { (_: Mk_Preferences_V1_ListNoticesRequest) in
            Mk_Preferences_V1_ListNoticesResponse()
        }
        harness.bok.on(Mk_Bok_V1_Bok.Method.listVerificationHistory) { (_: Mk_Bok_V1_ListVerificationHistoryRequest) in
            Mk_Bok_V1_ListVerificationHistoryResponse()
        }
        Fixtures.scriptBok(harness.bok, state: .active)
        harness.bok.on(Mk_Bok_V1_Bok.Method.getHpkePublicKey) { (_: Mk_Bok_V1_GetHpkePublicKeyRequest) in
            Mk_Bok_V1_GetHpkePublicKeyResponse(keyId: "k1", publicKey: Array(hpke.publicKey.x963Representation))
        }
        let requestID = "55555555-2222-4333-8444-555555555555"
        harness.bok.on(Mk_Bok_V1_Bok.Method.listPrompts) { (_: Mk_Bok_V1_ListPromptsRequest) in
            Mk_Bok_V1_ListPromptsResponse(
                prompts: [
                    Mk_Bok_V1_Prompt(
                        requestId: requestID, officeName: "Magistrát města Brna", purpose: "Výpis z rejstříku trestů",
                        expiresAtUnixMicros: 0, attemptsLeft: 3)
                ])
        }
        harness.bok.on(Mk_Bok_V1_Bok.Method.submitAnswer) { (request: Mk_Bok_V1_SubmitAnswerRequest) in
            let encrypted = try #require(request.encryptedBok)
            var recipient = try HPKE.Recipient(
                privateKey: hpke, ciphersuite: BokEncryption.suite, info: Data(("mk-bok-v1" + request.requestId).utf8),
                encapsulatedKey: Data(encrypted.encapsulatedKey))
            let bok = try recipient.open(Data(encrypted.ciphertext), authenticating: Data(request.counterCode.utf8))
            let verified = String(decoding: bok, as: UTF8.self) == "1234"
            return Mk_Bok_V1_SubmitAnswerResponse(state: verified ? .verified : .wrongBok, attemptsLeft: verified ? 3 : 2)
        }
    }
}
