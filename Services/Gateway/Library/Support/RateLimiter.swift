internal import Synchronization

/// Token buckets per key (client address, subject, device), in memory per replica: a burst of
/// `capacity`, refilled at `capacity` per `period`. Enough to blunt guessing and prompt spam;
/// a limit shared across replicas would need a shared store the gateway deliberately lacks.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let capacity: Double
    private let perSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter allowing `capacity` requests per `period` per key.
    init(capacity: Int, period: Duration) {
        self.capacity = Double(capacity)
        let seconds = Double(period.components.seconds) + Double(period.components.attoseconds) / 1e18
        self.perSecond = Double(capacity) / max(seconds, 0.001)
    }

    /// Takes a token for `key`; false when its bucket is empty.
    func allow(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            if buckets.count > 50_000 {
                buckets = buckets.filter { _, bucket in
                    bucket.updated.duration(to: now) < .seconds(600)
                }
            }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return true
        }
    }
}
