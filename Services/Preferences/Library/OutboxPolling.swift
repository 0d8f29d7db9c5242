internal import Logging
internal import ServiceLifecycle

/// The loop shared by the delivery and push workers: runs passes until graceful shutdown, pausing
/// for the poll interval when a pass found nothing, and backing off (up to 30 s) while passes fail.
/// A pass in progress always finishes, so nothing is left half-recorded.
enum OutboxPolling {
    /// Runs `pass` (which returns how many rows it claimed) until graceful shutdown or cancellation.
    /// `what` names the worker in the log.
    static func run(
        _ what: String, pollInterval: Duration, logger: Logger, pass: () async throws -> Int
    ) async {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let processed: Int
            do {
                processed = try await pass()
                failures = 0
            } catch {
                failures += 1
                logger.warning(
                    "\(what) pass failed", metadata: ["error": "\(error)", "consecutive_failures": "\(failures)"])
                processed = 0
            }
            if processed == 0 {
                let pause = failures == 0 ? pollInterval : min(pollInterval * failures, .seconds(30))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            }
        }
    }
}
