/// Jittered exponential backoff: `initial`, then multiplied by `multiplier` after each further
/// failure, never above `maximum`, each delay shortened by a random fraction up to `jitter` so that
/// many clients that lost the same server do not reconnect in lockstep.
public struct RPCBackoff: Sendable, Hashable {
    /// The delay after the first failure.
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration
    /// The growth factor per failure (at least 1).
    public var multiplier: Double
    /// The largest fraction (0...1) taken off a delay at random.
    public var jitter: Double

    /// Creates a backoff policy.
    public init(initial: Duration, maximum: Duration, multiplier: Double = 2, jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
    }

    /// The delay after `failures` consecutive failures (1 for the first).
    public func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return self.delay(afterFailures: failures, using: &generator)
    }

    /// The delay after `failures` consecutive failures, drawing the jitter from `generator`.
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let initial = Self.seconds(self.initial)
        let maximum = Self.seconds(self.maximum)
        let exponent = Double(max(0, min(failures - 1, 64)))
        let base = min(maximum, initial * pow2(self.multiplier, exponent))
        let jittered = base * (1 - self.jitter * Double.random(in: 0...1, using: &generator))
        return .nanoseconds(Int64(max(0, jittered) * 1e9))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// `base` to the power `exponent` for small whole exponents, without Foundation.
private func pow2(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 && result.isFinite {
        result *= base
        remaining -= 1
    }
    return result
}
