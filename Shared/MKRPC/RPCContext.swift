public import Logging

/// What a handler knows about the call it serves.
///
/// While a handler runs, its deadline and trace id are also in ``RPCTaskContext``, so calls it
/// makes downstream inherit them without passing the context along.
public struct RPCContext: Sendable {
    /// The method being served.
    public let method: String
    /// When the caller stops waiting; `nil` when it set no deadline.
    public let deadline: ContinuousClock.Instant?
    /// The request's metadata.
    public let metadata: RPCMetadata
    /// The caller's identity from its TLS certificate: `<name>` of its URI SAN `spiffe://mk/<name>`
    /// (`gateway`), checked against the server's ``RPCAuthorizationPolicy`` before the handler ran.
    /// `nil` on a plaintext connection, where nobody is authenticated. Unlike `metadata.caller`,
    /// which the caller merely declares, this one is verified.
    public let peerIdentity: String?
    /// A logger carrying the trace id and method. Built when asked for: most calls never log, and
    /// tagging a logger costs the log handler's metadata work on every call.
    public var logger: Logger {
        guard self.tagsLogger else { return self.baseLogger }
        var logger = self.baseLogger
        logger[metadataKey: "trace-id"] = .string(self.metadata.traceID)
        logger[metadataKey: "rpc-method"] = .string(self.method)
        return logger
    }

    private let baseLogger: Logger
    /// Whether ``logger`` adds the trace id and method to `baseLogger`.
    private let tagsLogger: Bool

    /// Creates a context whose ``logger`` is `logger` as given (tests create contexts).
    public init(
        method: String,
        deadline: ContinuousClock.Instant?,
        metadata: RPCMetadata,
        peerIdentity: String?,
        logger: Logger
    ) {
        self.method = method
        self.deadline = deadline
        self.metadata = metadata
        self.peerIdentity = peerIdentity
        self.baseLogger = logger
        self.tagsLogger = false
    }

    /// A context whose ``logger`` is `callLogger` tagged with the trace id and method when used.
    init(
        method: String,
        deadline: ContinuousClock.Instant?,
        metadata: RPCMetadata,
        peerIdentity: String?,
        untaggedLogger callLogger: Logger
    ) {
        self.method = method
        self.deadline = deadline
        self.metadata = metadata
        self.peerIdentity = peerIdentity
        self.baseLogger = callLogger
        self.tagsLogger = true
    }
}

/// Task-local call state that flows from a handler (or a gateway request) into the calls it makes.
public enum RPCTaskContext {
    /// The deadline of the work in progress; a client call never waits past it.
    @TaskLocal public static var deadline: ContinuousClock.Instant?
    /// The trace id of the work in progress; a client call sends it when its options have none.
    @TaskLocal public static var traceID: String?

    /// A new trace id, as a call without one gets: 32 lowercase hex characters, not all zero,
    /// unique within the process (the gateway's correlation id of each request).
    public static func newTraceID() -> String {
        RPCCallSetup.newTraceID()
    }
}
