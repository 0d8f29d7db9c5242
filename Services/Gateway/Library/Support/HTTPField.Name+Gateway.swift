internal import HTTPTypes

extension HTTPField.Name {
    /// `X-Forwarded-For`, believed only from trusted proxies.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    /// `X-Frame-Options`.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    /// `Referrer-Policy`.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `Cross-Origin-Opener-Policy`, on every answer.
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
    /// `Permissions-Policy`, on every answer.
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!
    /// `X-Correlation-Id`, on every answer.
    static let xCorrelationID = HTTPField.Name("X-Correlation-Id")!
    /// `X-CSRF-Token`, required on the citizen JSON API's state-changing calls.
    static let xCSRFToken = HTTPField.Name("X-CSRF-Token")!
    /// `Idempotency-Key`, required on the authority API's sends.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `X-MK-Device`: the signing device's id.
    static let mkDevice = HTTPField.Name("X-MK-Device")!
    /// `X-MK-Signed-At`: when the device signed (µs since the Unix epoch).
    static let mkSignedAt = HTTPField.Name("X-MK-Signed-At")!
    /// `X-MK-Signature`: the device's signature (base64).
    static let mkSignature = HTTPField.Name("X-MK-Signature")!
}
