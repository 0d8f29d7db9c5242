/// Per-call settings of a client call.
public struct RPCCallOptions: Sendable {
    /// How long the caller waits; `nil` waits until the inherited deadline (see
    /// ``RPCTaskContext/deadline``) or, without one, the client's default timeout.
    public var timeout: Duration?
    /// Metadata to send. An empty trace id is filled from ``RPCTaskContext/traceID``.
    public var metadata: RPCMetadata

    /// Creates options.
    public init(timeout: Duration? = nil, metadata: RPCMetadata = RPCMetadata()) {
        self.timeout = timeout
        self.metadata = metadata
    }
}
