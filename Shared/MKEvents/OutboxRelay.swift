public import Logging
internal import MKContracts
internal import MKMessages
public import MKPostgres
internal import MKRPC
internal import Metrics
public import ServiceLifecycle

/// Delivers the outbox to every subscriber's `EventSink`: at least once, in sequence order (so in
/// commit order per subject), in batches of at most 100, with jittered exponential backoff while a
/// subscriber fails.
///
/// Safe with any number of replicas: a delivery happens inside a transaction that holds the
/// subscriber's `outbox_subscriber` row (`FOR NO KEY UPDATE SKIP LOCKED`), so one replica at a
/// time delivers to a subscriber and the others skip it. The lease is `NO KEY UPDATE`, not
/// `UPDATE`, because every producing transaction takes `KEY SHARE` on the same row (the foreign
/// key of its pending rows): `FOR UPDATE` would make each of them wait for a whole delivery, and
/// make the relay skip its turn whenever one of them is in flight. Pending rows are removed in
/// the same transaction after the subscriber acknowledged; a crash before commit means
/// redelivery, which the consumer's ``EventInbox`` makes harmless.
public struct OutboxRelay: Service {
    private let client: PostgresClient
    private let subscribers: [OutboxSubscriber]
    private let configuration: OutboxRelayConfiguration
    private let logger: Logger

    /// What one delivery pass did.
    public enum Pass: Sendable, Equatable {
        /// A batch of this many events, the last with sequence number `through`, was delivered and
        /// acknowledged.
        case delivered(Int, through: Int64)
        /// Nothing was pending.
        case idle
        /// Another replica is delivering to this subscriber right now.
        case leasedElsewhere
    }

    /// Creates a relay; run it in the process's `ServiceGroup`.
    public init(
        client: PostgresClient,
        subscribers: [OutboxSubscriber],
        configuration: OutboxRelayConfiguration,
        logger: Logger
    ) {
        self.client = client
        self.subscribers = subscribers
        self.configuration = configuration
        self.logger = logger
    }

    /// Registers the subscribers, then delivers until graceful shutdown.
    public func run() async throws {
        try await registerSubscribers()
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    for subscriber in subscribers {
                        group.addTask { try await deliverContinuously(to: subscriber) }
                    }
                    group.addTask { try await pruneContinuously() }
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Registers every subscriber with its event types (events appended before that are not
    /// queued for it).
    public func registerSubscribers() async throws {
        try await client.withConnection { connection in
            for subscriber in subscribers {
                try await Outbox.registerSubscriber(
                    subscriber.name, eventTypes: subscriber.eventTypes, on: connection)
            }
        }
    }

    private func deliverContinuously(to subscriber: OutboxSubscriber) async throws {
        let delivered = Counter(label: "mk_outbox_events_delivered_total", dimensions: [("subscriber", subscriber.name)])
        let failed = Counter(label: "mk_outbox_delivery_failures_total", dimensions: [("subscriber", subscriber.name)])
        var failures = 0
        while !Task.isCancelled {
            let pass: Pass
            do {
                pass = try await deliverBatch(to: subscriber)
            } catch {
                guard !Task.isCancelled else { break }
                failures += 1
                failed.increment()
                let delay = configuration.backoff.delay(afterFailures: failures)
                logger.warning(
                    "event delivery failed; retrying",
                    metadata: [
                        "subscriber": "\(subscriber.name)", "consecutive_failures": "\(failures)",
                        "retry_in": "\(delay)", "error": "\(error)",
                    ])
                try await Task.sleep(for: delay)
                continue
            }
            failures = 0
            switch pass {
            case .delivered(let count, _):
                delivered.increment(by: count)
            case .idle, .leasedElsewhere:
                try await Task.sleep(for: configuration.pollInterval)
            }
        }
        throw CancellationError()
    }

    /// Delivers everything up to the event `sequence` (appended by a committed transaction) to every
    /// subscriber now, instead of at the next poll, and returns when each has acknowledged it, so a
    /// change the caller just made is visible in the subscribers when the caller answers.
    ///
    /// Waits at most ``OutboxRelayConfiguration/promptDeliveryLimit``; returns false when that ran
    /// out or a subscriber failed. The event is never lost then: it stays pending for ``run()``.
    public func deliverPromptly(through sequence: Int64) async -> Bool {
        let deadline = ContinuousClock.now + configuration.promptDeliveryLimit
        return await withTaskGroup(of: Bool.self) { group in
            for subscriber in subscribers {
                group.addTask { await deliverPromptly(through: sequence, to: subscriber, until: deadline) }
            }
            return await group.reduce(true) { $0 && $1 }
        }
    }

    private func deliverPromptly(
        through sequence: Int64, to subscriber: OutboxSubscriber, until deadline: ContinuousClock.Instant
    ) async -> Bool {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return false }
            do {
                let timeout = min(remaining, configuration.deliveryTimeout)
                switch try await deliverBatch(to: subscriber, timeout: timeout) {
                case .idle:
                    // Nothing is pending after the event committed: it was delivered already.
                    return true
                case .delivered(_, let through):
                    if through >= sequence { return true }
                case .leasedElsewhere:
                    // Another delivery holds the lease (the poller, or another replica); it may be
                    // carrying this very event, so look again soon.
                    try await Task.sleep(for: min(remaining, .milliseconds(5)))
                }
            } catch {
                return false
            }
        }
    }

    /// Delivers the oldest pending batch to `subscriber` once; throws when the subscriber or the
    /// database fails (nothing is acknowledged then).
    public func deliverBatch(to subscriber: OutboxSubscriber) async throws -> Pass {
        try await deliverBatch(to: subscriber, timeout: configuration.deliveryTimeout)
    }

    private func deliverBatch(to subscriber: OutboxSubscriber, timeout: Duration) async throws -> Pass {
        let sink = Mk_Events_V1_EventSink.Client(caller: subscriber.caller)
        return try await client.withTransaction { connection in
            let lease = try await connection.query(
                "SELECT name FROM outbox_subscriber WHERE name = \(subscriber.name) FOR NO KEY UPDATE SKIP LOCKED")
            guard !lease.isEmpty else { return .leasedElsewhere }
            let rows = try await connection.query(
                """
                SELECT event.sequence, event.payload
                FROM outbox_pending AS pending JOIN outbox_event AS event ON event.sequence = pending.sequence
                WHERE pending.subscriber = \(subscriber.name)
                ORDER BY pending.sequence
                LIMIT \(Int64(configuration.batchSize))
                """
            ).decode((Int64, [UInt8]).self)
            guard !rows.isEmpty else { return .idle }
            var request = Mk_Events_V1_DeliverEventsRequest()
            request.events = try rows.map { _, payload in try Mk_Events_V1_Event(serializedBytes: payload) }
            let options = RPCCallOptions(timeout: timeout, metadata: RPCMetadata(caller: configuration.producer))
            _ = try await sink.deliverEvents(request, options: options)
            try await connection.query(
                """
                DELETE FROM outbox_pending
                WHERE subscriber = \(subscriber.name) AND sequence = ANY(\(rows.map(\.0)))
                """)
            return .delivered(rows.count, through: rows[rows.count - 1].0)
        }
    }

    private func pruneContinuously() async throws {
        while !Task.isCancelled {
            do {
                try await prune()
            } catch {
                guard !Task.isCancelled else { break }
                logger.warning("outbox pruning failed", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: configuration.pruneInterval)
        }
        throw CancellationError()
    }

    /// Deletes events older than the retention that no subscriber still waits for.
    public func prune() async throws {
        let seconds = Double(configuration.retention.components.seconds)
        try await client.execute(
                """
                DELETE FROM outbox_event AS event
                WHERE event.created_at < now() - make_interval(secs => \(seconds))
                  AND NOT EXISTS (SELECT 1 FROM outbox_pending AS pending WHERE pending.sequence = event.sequence)
                """)
    }
}
