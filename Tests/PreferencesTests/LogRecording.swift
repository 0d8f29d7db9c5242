import Logging
import Synchronization

/// Every line logged through its ``logger`` (message and metadata rendered as text), so a test
/// can check that a secret never reaches the log.
final class LogRecording: Sendable {
    private let lines = Mutex<[String]>([])

    /// Every line so far.
    var recorded: [String] { lines.withLock { $0 } }

    /// A logger writing here.
    var logger: Logger {
        Logger(label: "recording") { _ in Handler(recording: self) }
    }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let recording: LogRecording
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recording.append("\(event.level) \(event.message) \(merged)")
        }
    }
}
