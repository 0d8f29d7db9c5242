import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MKContracts
import MKMessages
import NIOCore
import Testing

@testable import Gateway

/// One test's gateway: the router with the development identity provider, fake (or real)
/// services, and helpers to sign in and call it in-process.
struct GatewayHarness {
    static let officeSecret = "office-secret-0123456789"
    static let authoritySecret = "authority-secret-0123456789"
    static let identityProviderSecret = "idp-secret-0123456789"

    let registry: FakeBackend
    let preferences: FakeBackend
    let bok: FakeBackend
    let configuration: GatewayConfiguration

    /// `sessionRevocationCache` is how long "not signed out" answers are trusted (0: ask every time).
    init(requestTimeout: Duration = .seconds(5), sessionRevocationCache: Duration = .seconds(2)) {
        registry = FakeBackend()
        preferences = FakeBackend()
        bok = FakeBackend()
        var configuration = GatewayConfiguration(
            sessionSecret: "test-session-secret-0123456789-abcdef", developmentIdentityProvider: true,
            cookieSecure: false)
        configuration.requestTimeout = requestTimeout
        configuration.sessionRevocationCache = sessionRevocationCache
        configuration.inboxLongPoll = .seconds(1)
        configuration.callerCredentials = Self.credentialsJSON
        self.configuration = configuration
        Self.scriptNoRevocations(registry)
    }

    /// Scripts the registry's session revocation calls: nothing is revoked, sign-out is recorded.
    /// Tests replace them to exercise revocation or a registry that cannot answer.
    static func scriptNoRevocations(_ registry: FakeBackend) {
        registry.on(Mk_Registry_V1_DeviceRegistry.Method.isSessionRevoked) {
            (_: Mk_Registry_V1_IsSessionRevokedRequest) in Mk_Registry_V1_IsSessionRevokedResponse()
        }
        registry.on(Mk_Registry_V1_DeviceRegistry.Method.revokeSession) {
            (_: Mk_Registry_V1_RevokeSessionRequest) in Mk_Registry_V1_RevokeSessionResponse()
        }
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static var credentialsJSON: String {
        """
        {"callers": [
          {"kind": "office", "id": "mag-brno", "name": "Magistrát města Brna", "secretSha256": "\(hash(officeSecret))"},
          {"kind": "authority", "id": "cssz", "name": "ČSSZ", "secretSha256": "\(hash(authoritySecret))"},
          {"kind": "identity-provider", "id": "nia", "name": "NIA", "secretSha256": "\(hash(identityProviderSecret))"}
        ]}
        """
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    var backends: GatewayBackends {
        GatewayBackends(registry: registry, preferences: preferences, bok: bok)
    }

    /// Runs `body` with an in-process client of a fresh router.
    func test(
        backends: GatewayBackends? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = try await buildRouter(
            configuration: configuration, backends: backends ?? self.backends, logger: Logger(label: "gateway-test"))
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client) }
    }
}

/// A signed-in browser: the session cookie and the CSRF token.
struct Browser: Sendable {
    var cookie: String
    var csrf: String

    /// Signs in as the demo citizen `subject` through the development identity provider.
    static func signIn(_ client: any TestClientProtocol, subject: String = "demo-jana-novakova") async throws -> Browser {
        let page = try await client.execute(uri: "/prihlaseni", method: .get)
        #expect(page.status == .ok)
        let loginCookie = try #require(cookies(page)["mk_login"])
        let nonce = try #require(between(String(buffer: page.body), "/dev-idp?nonce=", "\""))
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.cookie] = "mk_login=\(loginCookie)"
        let signedIn = try await client.execute(
            uri: "/dev-idp", method: .post, headers: headers, body: ByteBuffer(string: "nonce=\(nonce)&subject=\(subject)"))
        #expect(signedIn.status == .seeOther)
        #expect(signedIn.headers[.location] == "/mobilni-klice")
        let session = try #require(cookies(signedIn)["mk_session"])
        var browser = Browser(cookie: "mk_session=\(session)", csrf: "")
        let info = try await browser.get(client, "/api/v1/session")
        #expect(info.status == .ok)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(info.body.readableBytesView)) as? [String: Any])
        browser.csrf = try #require(json["csrfToken"] as? String)
        return browser
    }

    func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.cookie] = cookie
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// Posts a form; the CSRF token is added unless `csrf` is false.
    func post(_ client: any TestClientProtocol, _ uri: String, form: String, csrf: Bool = true) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        headers[.cookie] = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        let token = self.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let body = csrf ? (form.isEmpty ? "csrf=\(token)" : "\(form)&csrf=\(token)") : form
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Sends JSON to the citizen API with the CSRF header.
    func json(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String?)
        async throws -> TestResponse
    {
        var headers = HTTPFields()
        headers[.cookie] = cookie
        headers[.xCSRFToken] = csrf
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

/// The cookies a response sets, by name.
func cookies(_ response: TestResponse) -> [String: String] {
    var result: [String: String] = [:]
    for header in response.headers[values: .setCookie] {
        let pair = header.split(separator: ";", maxSplits: 1)[0]
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    return result
}

/// The text between `start` and the next `end`.
func between(_ text: String, _ start: String, _ end: String) -> String? {
    guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex)
    else { return nil }
    return String(text[from.upperBound..<to.lowerBound])
}

/// The body parsed as a JSON object.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}
