/// The gateway's rate limits, one limiter per sensitive action.
struct RateLimits: Sendable {
    /// Sign-in attempts per client address.
    let signIn: RateLimiter
    /// Activation codes issued per citizen.
    let pairingStart: RateLimiter
    /// Activation-code redemptions per client address.
    let pairingRedeem: RateLimiter
    /// BOK answers and counter starts per device, office or citizen.
    let bok: RateLimiter
    /// Failed credential or signature checks per client address.
    let authenticationFailures: RateLimiter

    /// The production limits.
    static func standard() -> RateLimits {
        RateLimits(
            signIn: RateLimiter(capacity: 20, period: .seconds(60)),
            pairingStart: RateLimiter(capacity: 10, period: .seconds(600)),
            pairingRedeem: RateLimiter(capacity: 10, period: .seconds(60)),
            bok: RateLimiter(capacity: 10, period: .seconds(60)),
            authenticationFailures: RateLimiter(capacity: 20, period: .seconds(60))
        )
    }

    /// Throws ``GatewayError/rateLimited`` when `limiter` refuses `key`.
    static func check(_ limiter: RateLimiter, _ key: String) throws(GatewayError) {
        guard limiter.allow(key) else { throw GatewayError.rateLimited }
    }
}
