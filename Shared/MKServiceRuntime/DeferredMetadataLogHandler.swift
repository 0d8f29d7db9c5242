public import Logging

/// A log handler that keeps a logger's metadata as a plain dictionary and formats it only when a
/// message is written, through an inner `StreamLogHandler` (whose output it keeps unchanged).
///
/// `StreamLogHandler` formats its whole metadata (sorted `key=value` pairs) every time one key is
/// set. The servers set keys on every request and call (correlation id, request id, trace id,
/// method) and log few of them; setting a key took ≈ 2.5 % of the gateway's CPU on the login hook.
public struct DeferredMetadataLogHandler: LogHandler {
    /// The handler that formats and writes; it is given no metadata of its own.
    private var output: StreamLogHandler

    /// The logger's metadata, handed to `output` with each message.
    public var metadata: Logger.Metadata = [:]

    /// The least severe level written.
    public var logLevel: Logger.Level {
        get { output.logLevel }
        set { output.logLevel = newValue }
    }

    /// The metadata provider (the inner handler's; none unless the logging system has one).
    public var metadataProvider: Logger.MetadataProvider? {
        get { output.metadataProvider }
        set { output.metadataProvider = newValue }
    }

    /// Writes through `output`, which should carry no metadata itself.
    public init(output: StreamLogHandler) {
        self.output = output
    }

    /// One metadata item.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` with the logger's metadata merged under the message's own (the message's
    /// values win for a key both carry).
    public func log(event: LogEvent) {
        guard !metadata.isEmpty else { return output.log(event: event) }
        var event = event
        if let own = event.metadata, !own.isEmpty {
            event.metadata = metadata.merging(own) { _, own in own }
        } else {
            event.metadata = metadata
        }
        output.log(event: event)
    }
}
