internal import Foundation
internal import JWTKit

/// Verifies the National Point identity provider's signed tokens: only ES256 or RS256, a key from
/// configuration (JWKS or PEM), the configured issuer and audience, not expired, not issued in the
/// future, naming a well-formed subject and the nonce of the sign-in it answers.
struct IdentityTokenVerifier: Sendable {
    /// Why a token was refused (for the log; the citizen only learns that sign-in failed).
    struct Rejection: Error, CustomStringConvertible {
        let description: String
    }

    let keys: JWTKeyCollection
    let issuer: String
    let audience: String

    /// A verifier trusting `keysText` (a JWKS document or PEM public keys).
    static func make(keysText: String?, issuer: String, audience: String) async throws -> IdentityTokenVerifier {
        let keys = JWTKeyCollection()
        if let keysText {
            let trimmed = keysText.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") {
                try await keys.add(jwksJSON: trimmed)
            } else {
                try await Self.addPEMKeys(trimmed, to: keys)
            }
        }
        return IdentityTokenVerifier(keys: keys, issuer: issuer, audience: audience)
    }

    private static func addPEMKeys(_ text: String, to keys: JWTKeyCollection) async throws {
        let marker = "-----END PUBLIC KEY-----"
        let blocks = text.components(separatedBy: marker).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.map { $0 + "\n" + marker }
        guard !blocks.isEmpty else { throw Rejection(description: "no PEM public key found") }
        for block in blocks {
            if let key = try? ES256PublicKey(pem: block) {
                await keys.add(ecdsa: key)
            } else {
                await keys.add(rsa: try Insecure.RSA.PublicKey(pem: block), digestAlgorithm: .sha256)
            }
        }
    }

    /// The verified claims of `token`, which must echo `nonce`.
    func verify(_ token: String, nonce: String, now: Date = Date()) async throws -> IdentityTokenClaims {
        guard token.utf8.count <= 8192 else { throw Rejection(description: "token too long") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(String(parts[0])),
            let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
            let algorithm = header["alg"] as? String
        else { throw Rejection(description: "malformed token") }
        guard algorithm == "ES256" || algorithm == "RS256" else {
            throw Rejection(description: "algorithm \(algorithm) not accepted")
        }
        let claims = try await keys.verify(token, as: IdentityTokenClaims.self)
        guard claims.iss.value == issuer else { throw Rejection(description: "wrong issuer") }
        guard claims.aud.value.contains(audience) else { throw Rejection(description: "wrong audience") }
        guard claims.iat.value <= now.addingTimeInterval(60) else { throw Rejection(description: "issued in the future") }
        guard claims.exp.value > now else { throw Rejection(description: "expired") }
        guard SubjectIdentifier.isValid(claims.sub.value) else { throw Rejection(description: "malformed subject") }
        guard !nonce.isEmpty, Base64URL.constantTimeEqual(claims.nonce, nonce) else {
            throw Rejection(description: "nonce mismatch")
        }
        return claims
    }
}
