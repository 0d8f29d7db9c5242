internal import Foundation
public import Logging
public import MKPostgres
public import MKServiceRuntime
public import ServiceLifecycle

/// Deletes the hourly quota counters of past hours. A notification adds to one of
/// `authorityQuotaSlots` rows of its authority and clock hour, and only the current hour's rows are
/// ever read, so without this `authority_quota` would grow by up to slots × authorities rows an
/// hour for good. The previous hour is kept too, so a replica whose clock lags a little behind
/// still counts against rows that exist. Prunes at start and then every `interval`; any number of
/// replicas may run it (each deletes what has ended).
public struct QuotaPruner: Service {
    private let client: PostgresClient
    private let interval: Duration
    private let clock: any WallClock
    private let logger: Logger

    /// A pruner of `client`'s `authority_quota`, running every `interval` (10 minutes by default).
    public init(
        client: PostgresClient, interval: Duration = .seconds(600), clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.client = client
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// Prunes until graceful shutdown; a failed pass is logged and retried at the next interval.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await pruneOnce()
            } catch {
                logger.warning("quota pruning failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Deletes the counters of every hour before the previous one; returns how many rows went.
    @discardableResult
    public func pruneOnce() async throws -> Int {
        let hour = (clock.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600
        let oldestKept = Date(timeIntervalSince1970: hour - 3600)
        return try await client.execute("DELETE FROM authority_quota WHERE window_start < \(oldestKept)")
    }
}
