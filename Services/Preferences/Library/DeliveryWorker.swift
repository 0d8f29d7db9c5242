internal import Foundation
public import Logging
internal import MKMessages
public import MKPostgres
public import MKServiceRuntime
internal import Metrics
public import ServiceLifecycle

/// Sends the contact deliveries of the outbox (e-mail, SMS): claims due rows with
/// `FOR UPDATE SKIP LOCKED`, so any number of workers and replicas share the work without
/// sending a row twice at once; retries with exponential backoff; fails a row for good after the
/// last attempt or a permanent refusal, recording why.
///
/// Once a row is marked sent it is never claimed again. The one window left is a crash (or a lost
/// database) between the transport accepting a message and the row being marked sent: the lease
/// then runs out and the message is sent again — at least once, never lost. The delivery id travels
/// as the e-mail's Message-ID and the SMS provider's Idempotency-Key so the other side can drop
/// such a repeat.
public struct DeliveryWorker: Service {
    private let client: PostgresClient
    private let email: (any DeliveryTransport)?
    private let sms: (any DeliveryTransport)?
    private let configuration: DeliveryWorkerConfiguration
    private let clock: any WallClock
    private let logger: Logger

    /// Creates a worker. A channel without a transport is failed with "not configured".
    public init(
        client: PostgresClient,
        email: (any DeliveryTransport)?,
        sms: (any DeliveryTransport)?,
        configuration: DeliveryWorkerConfiguration = DeliveryWorkerConfiguration(),
        clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.client = client
        self.email = email
        self.sms = sms
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Sends until graceful shutdown; a pass in progress finishes (its sends are bounded by the
    /// transports' timeouts) so nothing is left half-recorded.
    public func run() async throws {
        await OutboxPolling.run("delivery", pollInterval: configuration.pollInterval, logger: logger) {
            try await runOnce()
        }
    }

    /// One pass: claims up to a batch of due deliveries, sends them concurrently and records each
    /// outcome. Returns how many were claimed.
    @discardableResult
    public func runOnce() async throws -> Int {
        let claimed = try await claim()
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed {
                group.addTask { await process(delivery) }
            }
        }
        return claimed.count
    }

    /// A claimed delivery with what its transport needs.
    struct Claimed: Sendable {
        var id: UUID
        var token: UUID
        var channel: Mk_Preferences_V1_ChannelKind
        var noAddress: Bool
        var attempts: Int
        var message: OutgoingMessage
    }

    private func claim() async throws -> [Claimed] {
        let now = clock.now()
        let token = UUID.random()
        let leaseEnd = now.addingTimeInterval(Self.seconds(configuration.lease))
        let rows = try await client.withTransaction { connection in
            try await connection.query(
                """
                WITH due AS (
                    SELECT id FROM delivery
                    WHERE state = 'pending' AND next_attempt_at <= \(now)
                    ORDER BY next_attempt_at
                    LIMIT \(Int64(configuration.batchSize))
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE delivery SET lease_token = \(token), next_attempt_at = \(leaseEnd), attempts = delivery.attempts + 1
                FROM due, notification LEFT JOIN citizen ON citizen.subject = notification.subject
                WHERE delivery.id = due.id AND notification.id = delivery.notification_id
                RETURNING delivery.id, delivery.channel, delivery.no_address, delivery.attempts, notification.kind,
                          notification.authority_name, notification.title, notification.body, notification.sms_text,
                          coalesce(citizen.email, ''), coalesce(citizen.phone, '')
                """)
        }
        return try rows.decode((UUID, Int32, Bool, Int32, Int32, String, String, String, String, String, String).self)
            .map { row in
                let channel = Mk_Preferences_V1_ChannelKind(rawValue: row.1)
                let kind = Mk_Preferences_V1_InboxKind(rawValue: row.4)
                let recipient: String
                if channel == .email, let address = try? EmailAddress(parsing: row.9, field: "email") {
                    recipient = address.ascii
                } else {
                    recipient = channel == .sms ? row.10 : ""
                }
                let message = OutgoingMessage(
                    deliveryID: row.0, recipient: recipient, title: row.6,
                    body: NoticeText.emailBody(kind: kind, sender: row.5, title: row.6, body: row.7), smsText: row.8)
                return Claimed(
                    id: row.0, token: token, channel: channel, noAddress: row.2 || recipient.isEmpty,
                    attempts: Int(row.3), message: message)
            }
    }

    private func process(_ delivery: Claimed) async {
        let outcome: TransportOutcome
        if delivery.noAddress {
            // Nothing to send to; finished like a sent row so the sender sees no difference.
            outcome = .sent
        } else if let transport = delivery.channel == .email ? email : (delivery.channel == .sms ? sms : nil) {
            outcome = await transport.send(delivery.message)
        } else {
            outcome = .permanent(reason: "no transport is configured for this channel")
        }
        do {
            try await record(outcome, for: delivery)
        } catch {
            // The lease runs out and the row is retried; see the type's note on the crash window.
            logger.error(
                "recording a delivery outcome failed",
                metadata: ["delivery-id": "\(delivery.id)", "error": "\(error)"])
        }
    }

    private func record(_ outcome: TransportOutcome, for delivery: Claimed) async throws {
        let now = clock.now()
        let channel = delivery.channel == .email ? "email" : "sms"
        switch outcome {
        case .sent:
            try await client.execute(
                """
                UPDATE delivery SET state = 'sent', sent_at = \(now), lease_token = NULL, last_error = ''
                WHERE id = \(delivery.id) AND lease_token = \(delivery.token) AND state = 'pending'
                """)
            if !delivery.noAddress {
                Counter(label: "mk_preferences_deliveries_sent_total", dimensions: [("channel", channel)]).increment()
            }
        case .retry(let reason) where delivery.attempts < configuration.maximumAttempts:
            let next = now.addingTimeInterval(Self.seconds(configuration.backoff(afterAttempts: delivery.attempts)))
            logger.notice(
                "delivery will be retried",
                metadata: ["delivery-id": "\(delivery.id)", "attempts": "\(delivery.attempts)", "reason": "\(reason)"])
            try await client.execute(
                """
                UPDATE delivery SET next_attempt_at = \(next), lease_token = NULL, last_error = \(reason)
                WHERE id = \(delivery.id) AND lease_token = \(delivery.token) AND state = 'pending'
                """)
        case .retry(let reason), .permanent(let reason):
            logger.warning(
                "delivery failed for good",
                metadata: ["delivery-id": "\(delivery.id)", "attempts": "\(delivery.attempts)", "reason": "\(reason)"])
            Counter(label: "mk_preferences_deliveries_failed_total", dimensions: [("channel", channel)]).increment()
            try await client.withTransaction { connection in
                let subject = try await connection.query(
                    """
                    UPDATE delivery SET state = 'failed', lease_token = NULL, last_error = \(reason)
                    FROM notification
                    WHERE delivery.id = \(delivery.id) AND delivery.lease_token = \(delivery.token)
                      AND delivery.state = 'pending' AND notification.id = delivery.notification_id
                    RETURNING notification.subject
                    """
                ).decodeFirst(String.self)
                if let subject {
                    try await connection.query(
                        """
                        INSERT INTO audit (at, subject, action, detail, caller, trace_id)
                        VALUES (\(now), \(subject), 'delivery_failed',
                                \("delivery: \(delivery.id.lowercaseText), channel: \(channel), reason: \(reason)"),
                                'delivery-worker', '')
                        """)
                }
            }
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
