import CoreMetrics

/// The server's metrics: per method a call counter, an error counter by status code and a latency
/// timer; a gauge of open connections.
///
/// Methods are only ever the registered ones (anything else counts as `<unknown>`), so a peer
/// sending made-up method names cannot create unbounded metric series.
final class RPCServerMetrics: Sendable {
    /// Calls, by `method`.
    static let callsLabel = "mk_rpc_server_calls_total"
    /// Calls that did not end OK, by `method` and `code` (`NOT_FOUND`).
    static let errorsLabel = "mk_rpc_server_errors_total"
    /// Call latency, by `method`.
    static let latencyLabel = "mk_rpc_server_call_duration"
    /// Open connections.
    static let connectionsLabel = "mk_rpc_server_connections"
    /// The method dimension of calls to methods the server does not have.
    static let unknownMethod = "<unknown>"

    private struct MethodMetrics: Sendable {
        let calls: Counter
        let latency: Timer
    }

    private let factory: any MetricsFactory
    private let methods: [String: MethodMetrics]
    private let connections: Meter

    init(methodNames: [String], factory: any MetricsFactory) {
        self.factory = factory
        var methods: [String: MethodMetrics] = [:]
        for name in methodNames + [Self.unknownMethod] {
            methods[name] = MethodMetrics(
                calls: Counter(label: Self.callsLabel, dimensions: [("method", name)], factory: factory),
                latency: Timer(label: Self.latencyLabel, dimensions: [("method", name)], factory: factory)
            )
        }
        self.methods = methods
        self.connections = Meter(label: Self.connectionsLabel, factory: factory)
    }

    /// Records a finished call of `method` (a registered name, or anything else for `<unknown>`).
    func recordCall(method: String, code: RPCStatusCode, duration: Duration) {
        let registered = self.methods[method]
        guard let metrics = registered ?? self.methods[Self.unknownMethod] else { return }
        let key = registered == nil ? Self.unknownMethod : method
        metrics.calls.increment()
        let (seconds, attoseconds) = duration.components
        metrics.latency.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        if code != .ok {
            Counter(
                label: Self.errorsLabel,
                dimensions: [("method", key), ("code", code.description)],
                factory: self.factory
            ).increment()
        }
    }

    /// A connection opened.
    func connectionOpened() {
        self.connections.increment()
    }

    /// A connection closed.
    func connectionClosed() {
        self.connections.decrement()
    }
}
