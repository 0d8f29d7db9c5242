public import Logging
public import ServiceLifecycle

/// Periodically closes verification requests nobody answered in time, so every request ends with
/// an audit row and an EXPIRED event even when nobody reads it again.
public struct VerificationExpirer: Service {
    private let service: BokService
    private let interval: Duration
    private let logger: Logger

    /// Creates an expirer; run it in the process's `ServiceGroup`.
    public init(service: BokService, interval: Duration = .seconds(15), logger: Logger) {
        self.service = service
        self.interval = interval
        self.logger = logger
    }

    /// Sweeps until graceful shutdown.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        let closed = try await service.expireDueVerifications()
                        if closed > 0 { logger.debug("verifications expired", metadata: ["count": "\(closed)"]) }
                    } catch {
                        guard !Task.isCancelled else { break }
                        logger.warning("expiring verifications failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
