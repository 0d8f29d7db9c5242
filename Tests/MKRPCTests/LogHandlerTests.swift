import Logging
import MKServiceRuntime
import Synchronization
import Testing

/// The servers' log handler: metadata formatted only when a message is written, the output as
/// `StreamLogHandler` writes it.
@Suite("Deferred-metadata log handler")
struct LogHandlerTests {
    /// Collects what a handler writes.
    final class Lines: TextOutputStream, Sendable {
        private let text = Mutex("")

        func write(_ string: String) { text.withLock { $0 += string } }

        /// The lines written, each without its timestamp (the first word).
        var withoutTimestamps: [Substring] {
            text.withLock { $0 }.split(separator: "\n").map { $0.drop { $0 != " " }.dropFirst() }
        }
    }

    private static func logger(_ lines: Lines, deferred: Bool) -> Logger {
        let stream = StreamLogHandler(label: "mk.test", stream: lines, metadataProvider: nil)
        var logger = Logger(label: "mk.test") { _ in
            deferred ? DeferredMetadataLogHandler(output: stream) as any LogHandler : stream
        }
        logger.logLevel = .info
        return logger
    }

    /// The same calls on a logger of each kind.
    private static func exercise(_ logger: Logger) {
        var logger = logger
        logger.info("no metadata yet")
        logger[metadataKey: "trace-id"] = "4bf92f3577b34da6a3ce929d0e0e4736"
        logger[metadataKey: "rpc-method"] = "GetDevice"
        logger[metadataKey: "removed"] = "soon"
        logger[metadataKey: "removed"] = nil
        logger.debug("below the level")
        logger.info("with metadata")
        logger.warning("the message's own value wins", metadata: ["rpc-method": "ListDevices", "extra": "1"])
    }

    @Test func writesWhatStreamLogHandlerWrites() {
        let plain = Lines()
        let deferred = Lines()
        Self.exercise(Self.logger(plain, deferred: false))
        Self.exercise(Self.logger(deferred, deferred: true))
        #expect(deferred.withoutTimestamps.count == 3)
        #expect(deferred.withoutTimestamps == plain.withoutTimestamps)
        #expect(
            deferred.withoutTimestamps[2]
                == "warning mk.test: extra=1 rpc-method=ListDevices trace-id=4bf92f3577b34da6a3ce929d0e0e4736"
                + " [MKRPCTests] the message's own value wins")
        #expect(deferred.withoutTimestamps[0] == "info mk.test: [MKRPCTests] no metadata yet")
    }

    @Test func keepsMetadataAndLevelLikeAnyHandler() {
        var handler = DeferredMetadataLogHandler(output: StreamLogHandler(label: "mk.test", stream: Lines()))
        handler.logLevel = .warning
        handler[metadataKey: "a"] = "1"
        #expect(handler.logLevel == .warning)
        #expect(handler[metadataKey: "a"] == "1")
        #expect(handler.metadata == ["a": "1"])
        handler.metadata = [:]
        #expect(handler[metadataKey: "a"] == nil)
    }
}
