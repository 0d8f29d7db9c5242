internal import Foundation
internal import JWTKit

/// A stand-in for the National Point identity provider in local development only (enabled by
/// `DEV_IDENTITY_PROVIDER=true`): it signs ES256 tokens for the demo citizens with a key made at
/// start, and the portal verifies them exactly like real ones.
struct DevelopmentIdentityProvider: Sendable {
    static let keyID = "mk-dev-idp"

    private let key: ES256PrivateKey
    private let issuer: String
    private let audience: String
    private let signer: JWTKeyCollection

    /// A provider with a fresh key, also trusted by `verifier`.
    static func make(trustedBy verifier: IdentityTokenVerifier) async -> DevelopmentIdentityProvider {
        let key = ES256PrivateKey()
        await verifier.keys.add(ecdsa: key.publicKey, kid: JWKIdentifier(string: keyID))
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key, kid: JWKIdentifier(string: keyID))
        return DevelopmentIdentityProvider(
            key: key, issuer: verifier.issuer, audience: verifier.audience, signer: signer)
    }

    /// A token for `citizen` answering the sign-in with `nonce`, valid for five minutes.
    func token(for citizen: DemoCitizen, nonce: String) async throws -> String {
        let now = Date()
        let claims = IdentityTokenClaims(
            subject: citizen.subject, issuer: issuer, audience: audience, issuedAt: now,
            expiresAt: now.addingTimeInterval(300), nonce: nonce, name: citizen.name)
        return try await signer.sign(claims, kid: JWKIdentifier(string: Self.keyID))
    }
}
