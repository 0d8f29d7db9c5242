internal import Foundation
public import Logging
public import MKPostgres
public import MKServiceRuntime
internal import Metrics
public import ServiceLifecycle

/// Sends the queued key wake-ups (`push_wakeup`) to the push provider, the way ``DeliveryWorker``
/// sends e-mail and SMS: claims due rows with `FOR UPDATE SKIP LOCKED` and a lease, sends outside
/// the transaction, records the outcome only while it still holds the lease; retries with
/// exponential backoff; fails a wake-up for good after the last attempt or a refusal, recording
/// why. A dead token is forgotten, so nothing more is pushed to it.
///
/// A wake-up marked sent is never claimed again. A crash between the provider's acceptance and
/// the row being marked sent wakes the app twice, which is harmless: a wake-up carries nothing,
/// and the app only reads its inbox.
public struct PushWorker: Service {
    private let client: PostgresClient
    private let provider: any PushProvider
    private let configuration: DeliveryWorkerConfiguration
    private let clock: any WallClock
    private let logger: Logger

    /// Creates a worker; the retry policy and lease are the delivery workers'.
    public init(
        client: PostgresClient,
        provider: any PushProvider,
        configuration: DeliveryWorkerConfiguration = DeliveryWorkerConfiguration(),
        clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.client = client
        self.provider = provider
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Sends until graceful shutdown; a pass in progress finishes (bounded by the provider's
    /// timeout).
    public func run() async throws {
        await OutboxPolling.run("push", pollInterval: configuration.pollInterval, logger: logger) {
            try await runOnce()
        }
    }

    /// One pass: claims up to a batch of due wake-ups, sends them one after the other and records
    /// each outcome; what is still unsent when half the lease has passed is given back for the next
    /// pass. Returns how many were claimed.
    ///
    /// One at a time, because with concurrent requests over one AsyncHTTPClient 1.37 HTTP/2
    /// connection the tests saw every response head arrive and no response body ever finish (the
    /// client's deadline covers only the head), which would stall the worker for good. One at a
    /// time, each wake-up is bounded by the provider's timeout.
    @discardableResult
    public func runOnce() async throws -> Int {
        let (claimed, lease, claimedAt) = try await claim()
        let sendUntil = claimedAt.addingTimeInterval(Self.seconds(configuration.lease) / 2)
        for (index, wakeup) in claimed.enumerated() {
            guard clock.now() < sendUntil else {
                try await giveBack(claimed[index...].map(\.device), lease: lease)
                break
            }
            await process(wakeup)
        }
        return claimed.count
    }

    /// A claimed wake-up with the token it goes to.
    struct Claimed: Sendable {
        var device: UUID
        var id: UUID
        var lease: UUID
        var attempts: Int
        var pushToken: String
        var platform: PushPlatform
        var subject: String
    }

    private func claim() async throws -> (claimed: [Claimed], lease: UUID, at: Date) {
        let now = clock.now()
        let lease = UUID.random()
        let leaseEnd = now.addingTimeInterval(Self.seconds(configuration.lease))
        let rows = try await client.withTransaction { connection in
            try await connection.query(
                """
                WITH due AS (
                    SELECT device_id FROM push_wakeup
                    WHERE state = 'pending' AND next_attempt_at <= \(now)
                    ORDER BY next_attempt_at
                    LIMIT \(Int64(configuration.batchSize))
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE push_wakeup SET lease_token = \(lease), next_attempt_at = \(leaseEnd),
                                       attempts = push_wakeup.attempts + 1
                FROM due, device_setting
                WHERE push_wakeup.device_id = due.device_id AND device_setting.device_id = push_wakeup.device_id
                RETURNING push_wakeup.device_id, push_wakeup.id, push_wakeup.attempts, device_setting.push_token,
                          device_setting.platform, device_setting.subject
                """)
        }
        let claimed = try rows.decode((UUID, UUID, Int32, String, String, String).self).map { row in
            Claimed(
                device: row.0, id: row.1, lease: lease, attempts: Int(row.2), pushToken: row.3,
                platform: PushPlatform(rawValue: row.4) ?? .unknown, subject: row.5)
        }
        return (claimed, lease, now)
    }

    /// Releases claimed wake-ups this pass did not get to: due at once, the claim's attempt undone.
    private func giveBack(_ devices: [UUID], lease: UUID) async throws {
        try await client.execute(
            """
            UPDATE push_wakeup SET lease_token = NULL, next_attempt_at = \(clock.now()), attempts = attempts - 1
            WHERE device_id = ANY(\(devices)) AND lease_token = \(lease) AND state = 'pending'
            """)
    }

    private func process(_ wakeup: Claimed) async {
        let outcome: PushOutcome
        if wakeup.pushToken.isEmpty {
            // The app removed its token after the wake-up was queued.
            outcome = .failed(reason: "the key has no push token any more")
        } else {
            outcome = await provider.wake(pushToken: wakeup.pushToken, platform: wakeup.platform, wakeupID: wakeup.id)
        }
        do {
            try await record(outcome, for: wakeup)
        } catch {
            logger.error(
                "recording a push outcome failed",
                metadata: ["device-id": "\(wakeup.device)", "error": "\(error)"])
        }
    }

    private func record(_ outcome: PushOutcome, for wakeup: Claimed) async throws {
        let now = clock.now()
        switch outcome {
        case .sent:
            try await client.execute(
                """
                UPDATE push_wakeup SET state = 'sent', sent_at = \(now), lease_token = NULL, last_error = ''
                WHERE device_id = \(wakeup.device) AND lease_token = \(wakeup.lease) AND state = 'pending'
                """)
            Counter(label: "mk_preferences_push_sent_total").increment()
        case .retry(let reason) where wakeup.attempts < configuration.maximumAttempts:
            let next = now.addingTimeInterval(Self.seconds(configuration.backoff(afterAttempts: wakeup.attempts)))
            logger.notice(
                "push wake-up will be retried",
                metadata: ["device-id": "\(wakeup.device)", "attempts": "\(wakeup.attempts)", "reason": "\(reason)"])
            try await client.execute(
                """
                UPDATE push_wakeup SET next_attempt_at = \(next), lease_token = NULL, last_error = \(reason)
                WHERE device_id = \(wakeup.device) AND lease_token = \(wakeup.lease) AND state = 'pending'
                """)
        case .retry(let reason), .failed(let reason):
            try await fail(wakeup, reason: reason, forgetToken: false, at: now)
        case .tokenInvalid(let reason):
            try await fail(wakeup, reason: reason, forgetToken: true, at: now)
        }
    }

    /// Marks the wake-up failed with an audit row; with `forgetToken`, also forgets the token it
    /// went to (unless the app has registered another since).
    private func fail(_ wakeup: Claimed, reason: String, forgetToken: Bool, at now: Date) async throws {
        logger.warning(
            "push wake-up failed for good",
            metadata: [
                "device-id": "\(wakeup.device)", "attempts": "\(wakeup.attempts)", "reason": "\(reason)",
                "token-forgotten": "\(forgetToken)",
            ])
        Counter(label: "mk_preferences_push_failed_total").increment()
        try await client.withTransaction { connection in
            let failed = try await connection.execute(
                """
                UPDATE push_wakeup SET state = 'failed', lease_token = NULL, last_error = \(reason)
                WHERE device_id = \(wakeup.device) AND lease_token = \(wakeup.lease) AND state = 'pending'
                """)
            guard failed > 0 else { return }
            if forgetToken {
                try await connection.query(
                    """
                    UPDATE device_setting SET push_token = ''
                    WHERE device_id = \(wakeup.device) AND push_token = \(wakeup.pushToken)
                    """)
            }
            let detail = "key: \(wakeup.device.lowercaseText), reason: \(reason)"
                + (forgetToken ? ", push token forgotten" : "")
            try await connection.query(
                """
                INSERT INTO audit (at, subject, action, detail, caller, trace_id)
                VALUES (\(now), \(wakeup.subject), 'push_failed', \(detail), 'push-worker', '')
                """)
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
