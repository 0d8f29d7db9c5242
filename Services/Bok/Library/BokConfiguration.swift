internal import Foundation

/// The BOK service's tunable limits and costs.
public struct BokConfiguration: Sendable {
    /// Argon2id parameters for new and re-hashed credentials (`BOK_ARGON2_*`).
    public var argon2: Argon2Parameters
    /// Argon2 computations running at once (`BOK_HASH_CONCURRENCY`, default: the number of cores).
    /// Peak hashing memory is this times ``Argon2Parameters/memoryKiB``.
    public var hashConcurrency: Int
    /// Calls allowed to wait for a hash slot at once; the next is refused RESOURCE_EXHAUSTED.
    public var maximumHashWaiters: Int
    /// How long a call without a deadline waits for a hash slot.
    public var defaultHashWait: Duration
    /// How long a verification request can be answered (`BOK_REQUEST_LIFETIME_SECONDS`, default 120).
    public var requestLifetime: Duration
    /// Verifications started per citizen in any 10 minutes (`BOK_CITIZEN_LIMIT_PER_10_MIN`, default 5).
    public var verificationsPerCitizenPer10Minutes: Int
    /// Verifications started per counter in any hour (`BOK_COUNTER_LIMIT_PER_HOUR`, default 60).
    public var verificationsPerCounterPerHour: Int

    /// Creates a configuration; every parameter has the production default.
    public init(
        argon2: Argon2Parameters = .production,
        hashConcurrency: Int = BokConfiguration.coreCount,
        maximumHashWaiters: Int = 256,
        defaultHashWait: Duration = .seconds(10),
        requestLifetime: Duration = .seconds(120),
        verificationsPerCitizenPer10Minutes: Int = 5,
        verificationsPerCounterPerHour: Int = 60
    ) {
        self.argon2 = argon2
        self.hashConcurrency = hashConcurrency
        self.maximumHashWaiters = maximumHashWaiters
        self.defaultHashWait = defaultHashWait
        self.requestLifetime = requestLifetime
        self.verificationsPerCitizenPer10Minutes = verificationsPerCitizenPer10Minutes
        self.verificationsPerCounterPerHour = verificationsPerCounterPerHour
    }

    /// The number of active processor cores.
    public static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
