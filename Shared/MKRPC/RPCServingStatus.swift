/// Whether a server answers calls, as its built-in health method (`mk.rpc.v1.Health/Check`)
/// reports it.
public enum RPCServingStatus: Sendable, Hashable {
    /// The server answers calls.
    case serving
    /// The process runs but does not take calls: draining, or a dependency (its database) is down.
    case notServing
}
