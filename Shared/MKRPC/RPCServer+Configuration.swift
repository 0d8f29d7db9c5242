public import CoreMetrics

extension RPCServer {
    /// How a server listens and what it tolerates. The defaults suit a service behind a Kubernetes
    /// Service; tests bind port 0 and lower the limits they exercise.
    public struct Configuration: Sendable {
        /// The largest frame body accepted or sent, in bytes (default 64 KiB). A longer length
        /// prefix closes the connection before anything is buffered for it; a response that would
        /// be longer answers RESOURCE_EXHAUSTED instead.
        public var maximumFrameSize: Int
        /// Calls running at once across the whole server (default 1024); a call past it is
        /// answered RESOURCE_EXHAUSTED at once, not queued.
        public var maximumConcurrentCalls: Int
        /// Connections open at once (default 1024); a connection past it is closed on accept.
        public var maximumConnections: Int
        /// How long a frame that started may take to arrive completely (default 10 s).
        public var frameTimeout: Duration
        /// How long a connection with no call and no traffic stays open (default 5 min).
        public var idleTimeout: Duration
        /// How long a graceful shutdown waits for calls in flight before closing their
        /// connections (default 15 s; keep it under the pod's termination grace period).
        public var drainTimeout: Duration
        /// Where metrics go; `nil` uses the process's `MetricsSystem` (the usual choice; tests
        /// pass their own factory instead of bootstrapping the global one).
        public var metricsFactory: (any MetricsFactory)?
        /// How connections are protected (default ``RPCTransportSecurity/plaintext``, which only
        /// listens on a loopback address: ``RPCServer/run()`` throws FAILED_PRECONDITION for any
        /// other host). Production uses ``RPCTransportSecurity/mutualTLS(_:)``.
        public var security: RPCTransportSecurity
        /// Which callers may call which methods (default: none but the health check). Applied only
        /// with mutual TLS; over plaintext no caller is authenticated and every method is open.
        public var authorization: RPCAuthorizationPolicy

        /// Creates a configuration; every parameter has the production default.
        public init(
            maximumFrameSize: Int = 65_536,
            maximumConcurrentCalls: Int = 1_024,
            maximumConnections: Int = 1_024,
            frameTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(300),
            drainTimeout: Duration = .seconds(15),
            metricsFactory: (any MetricsFactory)? = nil,
            security: RPCTransportSecurity = .plaintext,
            authorization: RPCAuthorizationPolicy = RPCAuthorizationPolicy()
        ) {
            self.maximumFrameSize = maximumFrameSize
            self.maximumConcurrentCalls = maximumConcurrentCalls
            self.maximumConnections = maximumConnections
            self.frameTimeout = frameTimeout
            self.idleTimeout = idleTimeout
            self.drainTimeout = drainTimeout
            self.metricsFactory = metricsFactory
            self.security = security
            self.authorization = authorization
        }
    }
}
