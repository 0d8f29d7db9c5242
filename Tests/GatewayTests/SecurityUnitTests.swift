import Crypto
import Foundation
import Hummingbird
import JWTKit
import MKRPC
import MKServiceRuntime
import Testing

@testable import Gateway

@Suite("Identity tokens, forwarded addresses, rate limits")
struct SecurityUnitTests {
    static let issuer = "https://nb.test"
    static let audience = "portal"

    func verifierAndSigner() async throws -> (IdentityTokenVerifier, JWTKeyCollection) {
        let key = ES256PrivateKey()
        let verifier = try await IdentityTokenVerifier.make(
            keysText: key.publicKey.pemRepresentation, issuer: Self.issuer, audience: Self.audience)
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key)
        return (verifier, signer)
    }

    func claims(
        issuer: String = issuer, audience: String = audience, expires: TimeInterval = 300, nonce: String = "n-1"
    ) -> IdentityTokenClaims {
        IdentityTokenClaims(
            subject: "demo-jana-novakova", issuer: issuer, audience: audience, issuedAt: Date().addingTimeInterval(-10),
            expiresAt: Date().addingTimeInterval(expires), nonce: nonce, name: "Jana")
    }

    @Test func aValidTokenIsAccepted() async throws {
        let (verifier, signer) = try await verifierAndSigner()
        let token = try await signer.sign(claims())
        let verified = try await verifier.verify(token, nonce: "n-1")
        #expect(verified.sub.value == "demo-jana-novakova")
    }

    @Test(arguments: ["issuer", "audience", "expired", "nonce", "key", "hs256", "none"])
    func aBadTokenIsRefused(_ defect: String) async throws {
        let (verifier, signer) = try await verifierAndSigner()
        let token: String
        switch defect {
        case "issuer": token = try await signer.sign(claims(issuer: "https://evil.test"))
        case "audience": token = try await signer.sign(claims(audience: "other"))
        case "expired": token = try await signer.sign(claims(expires: -120))
        case "nonce": token = try await signer.sign(claims(nonce: "n-2"))
        case "key":
            let other = JWTKeyCollection()
            await other.add(ecdsa: ES256PrivateKey())
            token = try await other.sign(claims())
        case "hs256":
            let hmac = JWTKeyCollection()
            await hmac.add(hmac: HMACKey(from: "a-shared-secret-of-at-least-32-bytes!"), digestAlgorithm: .sha256)
            token = try await hmac.sign(claims())
        default:
            let good = try await signer.sign(claims())
            let parts = good.split(separator: ".")
            token = "eyJhbGciOiJub25lIn0.\(parts[1])."
        }
        await #expect(throws: (any Error).self) { try await verifier.verify(token, nonce: "n-1") }
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() {
        let resolver = ClientAddressResolver(trustedProxies: ["10.0.0.1"])
        #expect(resolver.resolve(peer: "192.0.2.7", forwardedFor: ["203.0.113.9"]) == "192.0.2.7")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["198.51.100.1, 203.0.113.9"]) == "203.0.113.9")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["203.0.113.9, 10.0.0.1"]) == "203.0.113.9")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["<script>"]) == "10.0.0.1")
        #expect(resolver.resolve(peer: nil, forwardedFor: ["203.0.113.9"]) == "unknown")
    }

    @Test func aRateLimiterRefusesPastItsBurstAndRefills() {
        let limiter = RateLimiter(capacity: 3, period: .seconds(3))
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.allow("a", now: start) })
        #expect(!limiter.allow("a", now: start))
        #expect(limiter.allow("b", now: start))
        #expect(limiter.allow("a", now: start.advanced(by: .seconds(1))))
    }

    @Test func sealedCookiesDoNotOpenForAnotherPurposeOrAfterTampering() {
        let sealer = CookieSealer(secret: "0123456789abcdef0123456789abcdef")
        let attempt = LoginAttempt(nonce: "n", startedAt: 1)
        let sealed = sealer.seal(attempt, purpose: "login")
        #expect(sealer.open(LoginAttempt.self, from: sealed, purpose: "login")?.nonce == "n")
        #expect(sealer.open(LoginAttempt.self, from: sealed, purpose: "session") == nil)
        let other = CookieSealer(secret: "another-secret-0123456789abcdef0")
        #expect(other.open(LoginAttempt.self, from: sealed, purpose: "login") == nil)
    }

    @Test func base64URLFollowsRFC4648AndRefusesMalformedText() {
        // RFC 4648 §10 vectors, in the URL alphabet without padding.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0x3E, 0x00]
        #expect(Base64URL.encode(bytes) == "-_-_PgA")
        #expect(Base64URL.decode("-_-_PgA") == bytes)
        #expect(Base64URL.decode("-_-_PgA=") == bytes, "padding is accepted")
        #expect(Base64URL.decode("Zg==") == Array("f".utf8))
        for malformed in ["+/+/PgA", "Zg===", "Z=g", "Zm9vY", "Zm 9v", "Zm9v\u{e9}"] {
            #expect(Base64URL.decode(malformed) == nil, "\(malformed)")
        }
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let random = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64URL.encode(random)
            #expect(Base64URL.decode(encoded) == random)
            #expect(encoded == Data(random).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        }
    }

    @Test func theSessionCookieIsFoundAsHummingbirdWouldFindIt() {
        let headers = [
            "", "mk_session=abc", "a=1; mk_session=x=y==; b=2", "  \tmk_session=spaced",
            "mk_session_old=no; mk_session=yes", "mk_sessio=no", "mk_session=first; mk_session=second", "mk_session=", "=nameless; mk_session=after",
            "a=1;mk_session=tight;", "mk_session", "x=ž; mk_session=čeština",
        ]
        for header in headers {
            let expected = Cookies(from: [header])["mk_session"]?.value
            #expect(SessionCookies.cookie("mk_session", inHeader: header) == expected, "\(header)")
        }
        #expect(SessionCookies.cookie("mk_session", inHeader: "a=1; mk_session=x=y==; b=2") == "x=y==")
        #expect(SessionCookies.cookie("mk_session", inHeader: "mk_session_old=no") == nil)
    }

    @Test func hexIsTwoLowercaseDigitsPerByte() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
        // FIPS 180-2's SHA-256 of "abc": what the caller credential file stores for that secret.
        #expect(
            Hex.encode(SHA256.hash(data: Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.decode("000fa0ff") == [0x00, 0x0F, 0xA0, 0xFF])
        #expect(Hex.decode("000FA0FF") == [0x00, 0x0F, 0xA0, 0xFF])
        #expect(Hex.decode("") == [])
        for malformed in ["0", "0g", "zz", " 00", "0x00", "ž0"] { #expect(Hex.decode(malformed) == nil) }
    }

    @Test func theMediaTypeIgnoresCaseBlanksAndParameters() {
        func request(_ contentType: String?) -> Request {
            var fields = HTTPFields()
            if let contentType { fields[.contentType] = contentType }
            return Request(
                head: HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/", headerFields: fields),
                body: Hummingbird.RequestBody(buffer: ByteBuffer()))
        }
        let accepted = [
            "application/json", "Application/JSON", " application/json ; charset=utf-8", "\tapplication/json;",
        ]
        for accepted in accepted {
            #expect(Gateway.RequestBody.hasMediaType(request(accepted), "application/json"), "\(accepted)")
        }
        let refused = [
            nil, "", "text/plain", "application/json5", "application/jsonx; a=b", "application/ json", "application",
        ]
        for refused in refused {
            #expect(!Gateway.RequestBody.hasMediaType(request(refused), "application/json"), "\(refused ?? "none")")
        }
    }

    @Test func callerCredentialsAreCheckedFromTheBasicHeader() throws {
        let digest = Hex.encode(SHA256.hash(data: Array("tajné heslo".utf8))).uppercased()
        let store = try CallerCredentialStore(
            json: #"{"callers": [{"kind": "authority", "id": "cssz", "name": "ČSSZ", "secretSha256": "\#(digest)"}]}"#
        )
        func header(_ scheme: String, _ credentials: String, padding: String = "") -> String {
            scheme + padding + Data(credentials.utf8).base64EncodedString() + padding
        }
        let plain = store.authenticate(authorization: header("Basic ", "cssz:tajné heslo"), kind: .authority)
        #expect(plain?.id == "cssz")
        let padded = header("bASIC ", "cssz:tajné heslo", padding: " \t")
        #expect(store.authenticate(authorization: padded, kind: .authority)?.name == "ČSSZ")
        // A colon in the secret belongs to the secret.
        #expect(store.authenticate(authorization: header("Basic ", "cssz:tajné heslo:"), kind: .authority) == nil)
        for refused in [
            header("Basic ", "cssz:tajné hesl"), header("Basic ", "cssz"), header("Basic ", "other:tajné heslo"),
            header("Bearer ", "cssz:tajné heslo"), header("Basic", "cssz:tajné heslo"), "Basic ", "Basic !!!",
            "Basic " + String(repeating: "A", count: 1_100),
        ] {
            #expect(store.authenticate(authorization: refused, kind: .authority) == nil)
        }
        #expect(store.authenticate(authorization: header("Basic ", "cssz:tajné heslo"), kind: .office) == nil)
        #expect(store.authenticate(authorization: nil, kind: .authority) == nil)
    }

    @Test func correlationIDsAreNonZeroW3CTraceIDs() {
        let ids = (0..<100).map { _ in RPCTaskContext.newTraceID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32)
            #expect(id.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(id != String(repeating: "0", count: 32))
        }
    }

    @Test func czechDatesUsePragueTime() {
        #expect(CzechTime.format(micros: 0) == "dosud nepoužito")
        #expect(CzechTime.format(micros: 1_741_180_020_000_000) == "5. 3. 2025 14:07")
        #expect(CzechTime.format(micros: 1_751_724_000_000_000) == "5. 7. 2025 16:00")
    }

    @Test func qrCodesRenderAsSVG() throws {
        let svg = try #require(QRCodeSVG.render("ABCDEFGHJK", title: "QR \"x\""))
        #expect(svg.rendered.hasPrefix("<svg"))
        #expect(svg.rendered.contains("aria-label=\"QR &quot;x&quot;\""))
        #expect(svg.rendered.contains("M4 4h1v1h-1z"))
    }
}
