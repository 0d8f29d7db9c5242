public import Foundation
public import JWTKit

/// The claims of a National Point identity token the portal accepts.
public struct IdentityTokenClaims: JWTPayload {
    /// The citizen's subject identifier.
    public var sub: SubjectClaim
    /// The issuer.
    public var iss: IssuerClaim
    /// The audience(s).
    public var aud: AudienceClaim
    /// Expiry.
    public var exp: ExpirationClaim
    /// Issue time.
    public var iat: IssuedAtClaim
    /// The nonce of the sign-in this token answers.
    public var nonce: String
    /// The citizen's name, when the identity provider shares it.
    public var name: String?

    /// Creates claims (the development identity provider signs these).
    public init(
        subject: String, issuer: String, audience: String, issuedAt: Date, expiresAt: Date, nonce: String,
        name: String?
    ) {
        self.sub = SubjectClaim(value: subject)
        self.iss = IssuerClaim(value: issuer)
        self.aud = AudienceClaim(value: [audience])
        self.iat = IssuedAtClaim(value: issuedAt)
        self.exp = ExpirationClaim(value: expiresAt)
        self.nonce = nonce
        self.name = name
    }

    /// Checks expiry; issuer, audience, nonce and issue time are checked by ``IdentityTokenVerifier``.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
