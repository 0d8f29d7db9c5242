extension RPCClient {
    /// How a client connects and how long it waits. The defaults suit a service calling another
    /// service through a Kubernetes Service address.
    public struct Configuration: Sendable {
        /// Connections kept to the upstream address (default 2); calls are spread over them.
        public var connections: Int
        /// The deadline of a call that sets none and inherits none (default 10 s).
        public var defaultTimeout: Duration
        /// The longest a connection attempt may take (default 5 s); a call never waits past its
        /// own deadline for it.
        public var connectTimeout: Duration
        /// Delay before reconnecting after failed connection attempts (default 100 ms doubling to
        /// 5 s, jittered). While a connection backs off, calls on it fail UNAVAILABLE at once.
        public var reconnectBackoff: RPCBackoff
        /// Attempts per call, the first included (default 3). Only UNAVAILABLE is retried, and only
        /// when the request never reached a connection, or the method is idempotent, or the call
        /// carries an idempotency key; never past the call's deadline.
        public var maximumAttempts: Int
        /// Delay between attempts of one call (default 25 ms doubling to 1 s, jittered).
        public var retryBackoff: RPCBackoff
        /// The largest frame body sent or accepted, in bytes (default 64 KiB).
        public var maximumFrameSize: Int
        /// How long a frame that started may take to arrive completely (default 10 s).
        public var frameTimeout: Duration
        /// How long a connection with no call and no traffic stays open (default 4 min: shorter
        /// than the server's 5, so the client, not the server, closes idle connections and no
        /// request is sent into a connection the server is closing).
        public var idleTimeout: Duration
        /// The calling service's name, sent as metadata `caller` when a call's options have none.
        public var callerName: String
        /// How connections are protected (default ``RPCTransportSecurity/plaintext``, which only
        /// calls a loopback address: to any other host every call fails FAILED_PRECONDITION).
        /// Production uses ``RPCTransportSecurity/mutualTLS(_:)`` with the same CA as the server.
        public var security: RPCTransportSecurity

        /// Creates a configuration; every parameter has the production default.
        public init(
            connections: Int = 2,
            defaultTimeout: Duration = .seconds(10),
            connectTimeout: Duration = .seconds(5),
            reconnectBackoff: RPCBackoff = RPCBackoff(initial: .milliseconds(100), maximum: .seconds(5)),
            maximumAttempts: Int = 3,
            retryBackoff: RPCBackoff = RPCBackoff(initial: .milliseconds(25), maximum: .seconds(1)),
            maximumFrameSize: Int = 65_536,
            frameTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(240),
            callerName: String = "",
            security: RPCTransportSecurity = .plaintext
        ) {
            self.connections = connections
            self.defaultTimeout = defaultTimeout
            self.connectTimeout = connectTimeout
            self.reconnectBackoff = reconnectBackoff
            self.maximumAttempts = maximumAttempts
            self.retryBackoff = retryBackoff
            self.maximumFrameSize = maximumFrameSize
            self.frameTimeout = frameTimeout
            self.idleTimeout = idleTimeout
            self.callerName = callerName
            self.security = security
        }
    }
}
