public import Logging
internal import Metrics
internal import NIOCore
internal import NIOPosix
public import Prometheus
public import ServiceLifecycle
internal import UnixSignals

/// Process-wide set-up shared by every executable: logging, metrics and the service group that
/// runs until SIGTERM or SIGINT.
public enum ProcessBootstrap {
    /// Sends logs to standard error at `level` (in `StreamLogHandler`'s format, its metadata
    /// formatted only for messages written) and metrics to a Prometheus registry, once per
    /// process (swift-log and swift-metrics allow one bootstrap). Returns that registry for
    /// the admin server's `/metrics`.
    ///
    /// It also makes SwiftNIO's event loops Swift Concurrency's global executor, so request
    /// handlers run on the loops their connections use instead of hopping to a second thread pool
    /// and back (see `PERFORMANCE.md`). Nothing may block them: libpq, Argon2 and curl run on their
    /// own thread pools. A binary with the Swift runtime linked statically (the container image's)
    /// hides the runtime's hook for this, and its tasks keep Swift's own pool, as before.
    public static func bootstrap(logLevel: Logger.Level) -> PrometheusCollectorRegistry {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler(output: StreamLogHandler.standardError(label: label))
            handler.logLevel = logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// Runs `services` in one group, started in the given order and stopped in reverse, until
    /// SIGTERM or SIGINT asks for a graceful shutdown (or one service fails).
    public static func run(services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Parses a log level name (`trace` … `critical`).
    public static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError(
                setting: "LOG_LEVEL", problem: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}
