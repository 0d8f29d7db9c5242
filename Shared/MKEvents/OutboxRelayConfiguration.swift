public import MKRPC

/// How the relay paces itself.
public struct OutboxRelayConfiguration: Sendable {
    /// The producer's name, sent as the calling service in the delivery's metadata.
    public var producer: String
    /// How long an idle relay waits before looking for new events again.
    public var pollInterval: Duration
    /// Waits between attempts while a subscriber fails.
    public var backoff: RPCBackoff
    /// Events per delivery, 1 to 100.
    public var batchSize: Int
    /// How long one delivery call may take.
    public var deliveryTimeout: Duration
    /// How long ``OutboxRelay/deliverPromptly(through:)`` waits for the subscribers at most.
    public var promptDeliveryLimit: Duration
    /// Delivered events older than this are deleted from the outbox.
    public var retention: Duration
    /// How often delivered events are pruned.
    public var pruneInterval: Duration

    /// Creates a configuration; `batchSize` is clamped to 1…100.
    public init(
        producer: String,
        pollInterval: Duration = .milliseconds(500),
        backoff: RPCBackoff = RPCBackoff(initial: .milliseconds(200), maximum: .seconds(30)),
        batchSize: Int = 100,
        deliveryTimeout: Duration = .seconds(5),
        promptDeliveryLimit: Duration = .seconds(1),
        retention: Duration = .seconds(7 * 24 * 3600),
        pruneInterval: Duration = .seconds(3600)
    ) {
        self.producer = producer
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.batchSize = min(max(batchSize, 1), 100)
        self.deliveryTimeout = deliveryTimeout
        self.promptDeliveryLimit = promptDeliveryLimit
        self.retention = retention
        self.pruneInterval = pruneInterval
    }
}
