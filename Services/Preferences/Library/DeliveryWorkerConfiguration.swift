/// How the delivery worker paces itself.
public struct DeliveryWorkerConfiguration: Sendable {
    /// How long an idle worker waits before looking for due deliveries again.
    public var pollInterval: Duration
    /// Deliveries claimed (and sent concurrently) per pass.
    public var batchSize: Int
    /// Attempts before a delivery fails for good.
    public var maximumAttempts: Int
    /// The wait after the first failed attempt; doubled after each further one.
    public var initialBackoff: Duration
    /// The longest wait between attempts.
    public var maximumBackoff: Duration
    /// How long a claimed delivery belongs to the worker that claimed it. Must exceed the
    /// transports' timeouts, or a slow send could be claimed and sent again by another worker.
    public var lease: Duration

    /// Creates a configuration.
    public init(
        pollInterval: Duration = .seconds(1),
        batchSize: Int = 16,
        maximumAttempts: Int = 8,
        initialBackoff: Duration = .seconds(10),
        maximumBackoff: Duration = .seconds(3600),
        lease: Duration = .seconds(120)
    ) {
        self.pollInterval = pollInterval
        self.batchSize = max(1, batchSize)
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = max(initialBackoff, maximumBackoff)
        self.lease = lease
    }

    /// The wait after `attempts` failed attempts (at least 1): `initial · 2^(attempts−1)`, capped,
    /// plus up to 20 % jitter so a recovered server is not hit by every retry at once.
    func backoff(afterAttempts attempts: Int, jitter: Double = Double.random(in: 0...0.2)) -> Duration {
        let exponent = min(max(attempts - 1, 0), 30)
        let base = min(initialBackoff * (1 << exponent), maximumBackoff)
        return base + base * jitter
    }
}
