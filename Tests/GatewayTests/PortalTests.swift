import Foundation
import HTTPTypes
import HummingbirdTesting
import MKContracts
import MKMessages
import MKRPC
import NIOCore
import Testing

@testable import Gateway

@Suite("Citizen portal")
struct PortalTests {
    @Test func signingInThroughTheDevelopmentIdentityProviderShowsTheKeyList() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        Fixtures.scriptBok(harness.bok)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let page = try await browser.get(client, "/mobilni-klice")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<html lang=\"cs\">"))
            #expect(html.contains("Správa mobilních klíčů"))
            #expect(html.contains("Pixel 8 (Google Pixel 8)"))
            #expect(html.contains("5. 3. 2025 14:07"))
            #expect(html.contains("dosud nepoužito"))
            #expect(html.contains("Odpojit"))
            #expect(html.contains("href=\"/nastaveni-notifikaci\""))
            #expect(html.contains("href=\"/pripojeni\""))
            #expect(html.contains("BOK nemáte nastaven"))
        }
    }

    @Test func pagesWithoutASessionRedirectToSignInAndTheAPIAnswers401() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            let page = try await client.execute(uri: "/mobilni-klice", method: .get)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/prihlaseni")
            let api = try await client.execute(uri: "/api/v1/keys", method: .get)
            #expect(api.status == .unauthorized)
            let json = try jsonObject(api)
            let error = try #require(json["error"] as? [String: Any])
            #expect(error["code"] as? String == "UNAUTHENTICATED")
            #expect((error["correlationId"] as? String)?.count == 32)
            OpenAPIChecker.check(api, "GET", "/api/v1/keys")
        }
    }

    @Test func anExpiredSessionIsRefusedAndCleared() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            let old = Int64(Date().timeIntervalSince1970) - 3600
            let session = CitizenSession(
                subject: "demo-jana-novakova", name: "", authenticatedAt: old, lastSeenAt: old, csrfToken: "t",
                sessionID: UUID().uuidString.lowercased())
            let sealed = CookieSealer(secret: harness.configuration.sessionSecret).seal(session, purpose: "session")
            var headers = HTTPFields()
            headers[.cookie] = "mk_session=\(sealed)"
            let page = try await client.execute(uri: "/mobilni-klice", method: .get, headers: headers)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/prihlaseni?duvod=vyprselo")
            #expect(cookies(page)["mk_session"] == "")
            let forged = try await client.execute(
                uri: "/api/v1/session", method: .get, headers: [.cookie: "mk_session=AAAA\(sealed.dropFirst(4))"])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func everyFormNeedsTheCSRFToken() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        Fixtures.scriptPreferences(harness.preferences)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            for (uri, form) in [
                ("/mobilni-klice/\(Fixtures.keyID)/prejmenovat", "name=X"),
                ("/mobilni-klice/\(Fixtures.keyID)/odpojit", ""), ("/nastaveni-notifikaci", "version=7"),
                ("/pripojeni", ""), ("/vase-udaje", "email=a%40b.cz"), ("/odhlaseni", ""),
            ] {
                let response = try await browser.post(client, uri, form: form, csrf: false)
                #expect(response.status == .forbidden, "\(uri)")
                #expect(String(buffer: response.body).contains("Formulář vypršel"), "\(uri)")
            }
            let api = try await browser.json(client, .patch, "/api/v1/keys/\(Fixtures.keyID)", "{\"displayName\":\"X\"}")
            #expect(api.status == .ok)
            var noToken = Browser(cookie: browser.cookie, csrf: "wrong")
            noToken.csrf = "wrong"
            let refused = try await noToken.json(client, .patch, "/api/v1/keys/\(Fixtures.keyID)", "{\"displayName\":\"X\"}")
            #expect(refused.status == .forbidden)
            OpenAPIChecker.check(refused, "PATCH", "/api/v1/keys/{id}")
            #expect(!harness.registry.called.isEmpty)
        }
    }

    @Test func renamingEscapesTheNameAndRedirectsWithAMessage() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry, name: "<script>alert(1)</script>")
        Fixtures.scriptBok(harness.bok)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let form = try await browser.get(client, "/mobilni-klice/\(Fixtures.keyID)/prejmenovat")
            let html = String(buffer: form.body)
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let saved = try await browser.post(client, "/mobilni-klice/\(Fixtures.keyID)/prejmenovat", form: "name=Můj+telefon")
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/mobilni-klice?zprava=prejmenovano")
            let long = try await browser.post(
                client, "/mobilni-klice/\(Fixtures.keyID)/prejmenovat", form: "name=" + String(repeating: "x", count: 65))
            #expect(long.status == .badRequest)
        }
    }

    @Test func unpairingTheLastMeansShowsTheWarningAndNeedsConfirmation() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry, lastMeans: true)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let page = try await browser.get(client, "/mobilni-klice/\(Fixtures.keyID)/odpojit")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("V případě, že nemáte jiný identifikační prostředek, přijdete o možnost přihlášení"))
            #expect(html.contains("name=\"confirm_last_means\""))
            let unconfirmed = try await browser.post(client, "/mobilni-klice/\(Fixtures.keyID)/odpojit", form: "")
            #expect(unconfirmed.status == .conflict)
            #expect(String(buffer: unconfirmed.body).contains("přijdete o možnost přihlášení"))
            let confirmed = try await browser.post(
                client, "/mobilni-klice/\(Fixtures.keyID)/odpojit", form: "confirm_last_means=1")
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.headers[.location] == "/mobilni-klice?zprava=odpojeno")
        }
    }

    @Test func anotherCitizensKeyIsIndistinguishableFromAnUnknownOne() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            func normalized(_ response: TestResponse) -> String {
                var text = String(buffer: response.body)
                if let id = response.headers[.xCorrelationID] {
                    text = text.replacingOccurrences(of: id, with: "ID")
                }
                return "\(response.status.code)|\(text)"
            }
            let foreign = try await browser.get(client, "/api/v1/keys/\(Fixtures.foreignKeyID)")
            let unknown = try await browser.get(client, "/api/v1/keys/00000000-0000-4000-8000-000000000000")
            let malformed = try await browser.get(client, "/api/v1/keys/not-a-uuid")
            #expect(foreign.status == .notFound)
            #expect(normalized(foreign) == normalized(unknown))
            #expect(normalized(foreign) == normalized(malformed))
            OpenAPIChecker.check(foreign, "GET", "/api/v1/keys/{id}")
            let foreignPage = try await browser.get(client, "/mobilni-klice/\(Fixtures.foreignKeyID)/prejmenovat")
            let unknownPage = try await browser.get(client, "/mobilni-klice/00000000-0000-4000-8000-000000000000/prejmenovat")
            #expect(foreignPage.status == .notFound)
            #expect(normalized(foreignPage) == normalized(unknownPage))
        }
    }

    @Test func aStaleSettingsSaveIsExplained() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        Fixtures.scriptBok(harness.bok)
        Fixtures.scriptPreferences(harness.preferences, version: 8)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let page = try await browser.get(client, "/nastaveni-notifikaci")
            let html = String(buffer: page.body)
            #expect(html.contains("Informativní notifikace"))
            #expect(html.contains("Přihlášení k NB"))
            #expect(html.contains("BOK-pad"))
            #expect(html.contains("Uložit"))
            #expect(html.contains("nelze nastavit"))
            #expect(html.contains("name=\"version\" value=\"8\""))
            let id = Fixtures.keyID
            let stale = try await browser.post(
                client, "/nastaveni-notifikaci", form: "version=7&device=\(id)&device.\(id).bokPad=1")
            #expect(stale.status == .conflict)
            #expect(String(buffer: stale.body).contains("nastavení mezitím změnil někdo jiný"))
            let fresh = try await browser.post(
                client, "/nastaveni-notifikaci", form: "version=8&device=\(id)&device.\(id).bokPad=1")
            #expect(fresh.status == .seeOther)
            let done = try await browser.get(client, "/nastaveni-notifikaci?zprava=ulozeno")
            #expect(String(buffer: done.body).contains("Nastavení bylo uloženo."))
            let api = try await browser.json(
                client, .put, "/api/v1/settings", "{\"version\":1,\"contacts\":[],\"devices\":[]}")
            #expect(api.status == .conflict)
            #expect(try (jsonObject(api)["error"] as? [String: Any])?["reason"] as? String == "STALE_SETTINGS")
            OpenAPIChecker.check(api, "PUT", "/api/v1/settings")
            let read = try await browser.get(client, "/api/v1/settings")
            OpenAPIChecker.check(read, "GET", "/api/v1/settings")
            // Each key's name comes with the grid from Preferences: reading it asks no registry.
            let devices = try jsonObject(read)["devices"] as? [[String: Any]]
            #expect(devices?.first?["displayName"] as? String == "Pixel 8 (Google Pixel 8)")
            #expect(html.contains("Pixel 8 (Google Pixel 8)"))
            #expect(!harness.registry.called.contains("ListDevices"), "\(harness.registry.called)")
        }
    }

    @Test func aFailedServiceGivesATemporarilyUnavailablePageNotPartialData() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let page = try await browser.get(client, "/mobilni-klice")
            #expect(page.status == .serviceUnavailable)
            let html = String(buffer: page.body)
            #expect(html.contains("Služba je dočasně nedostupná"))
            #expect(!html.contains("Pixel 8"))
            let api = try await browser.get(client, "/api/v1/keys")
            #expect(api.status == .serviceUnavailable)
            OpenAPIChecker.check(api, "GET", "/api/v1/keys")
        }
    }

    @Test func aHangingServiceEndsAtTheRequestDeadline() async throws {
        let harness = GatewayHarness(requestTimeout: .milliseconds(400))
        Fixtures.scriptRegistry(harness.registry)
        harness.bok.on(Mk_Bok_V1_Bok.Method.getBokStatus) { (_: Mk_Bok_V1_GetBokStatusRequest) in
            try await Task.sleep(for: .seconds(30))
            return Mk_Bok_V1_GetBokStatusResponse()
        }
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let started = ContinuousClock.now
            let page = try await browser.get(client, "/mobilni-klice")
            #expect(page.status == .serviceUnavailable)
            // Far below the 30 s the service hangs: the request deadline (400 ms) cut it off.
            #expect(started.duration(to: .now) < .seconds(15))
        }
    }

    @Test func pairingShowsTheCodeAsTextAndQRCode() async throws {
        let harness = GatewayHarness()
        Fixtures.scriptRegistry(harness.registry)
        try await harness.test { client in
            let browser = try await Browser.signIn(client)
            let page = try await browser.post(client, "/pripojeni", form: "")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("ABCDE-FGHJK"))
            #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(html.contains("data-pairing-id=\"22222222-2222-4333-8444-555555555555\""))
            #expect(html.contains("Kód platí do"))
            let api = try await browser.json(client, .post, "/api/v1/pairings", nil)
            #expect(api.status == .created)
            OpenAPIChecker.check(api, "POST", "/api/v1/pairings")
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        let harness = GatewayHarness()
        try await harness.test { client in
            for uri in ["/prihlaseni", "/api/v1/keys", "/static/portal.css", "/nic"] {
                let response = try await client.execute(uri: uri, method: .get)
                let policy = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(policy.contains("script-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(response.headers[.referrerPolicy] == "no-referrer")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.xCorrelationID]?.count == 32)
            }
            let page = try await client.execute(uri: "/prihlaseni", method: .get)
            #expect(!String(buffer: page.body).contains("<script>"))
            let login = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("mk_login=") })
            #expect(login.contains("HttpOnly"))
            #expect(login.lowercased().contains("samesite=lax"))
        }
    }
}
