/// Names one method of one service, as it travels in the envelope.
public struct RPCMethodDescriptor: Hashable, Sendable, CustomStringConvertible {
    /// The fully qualified service, `mk.registry.v1.DeviceRegistry`.
    public let service: String
    /// The method, `ListDevices`.
    public let method: String
    /// True when calling it twice has the effect of calling it once (reads), so the client may
    /// retry it after UNAVAILABLE even when the request may have reached the server.
    public let isIdempotent: Bool

    /// Describes a method.
    public init(service: String, method: String, isIdempotent: Bool) {
        self.service = service
        self.method = method
        self.isIdempotent = isIdempotent
    }

    /// `mk.registry.v1.DeviceRegistry/ListDevices`: the name dispatch is by.
    public var fullName: String { "\(service)/\(method)" }

    public var description: String { fullName }
}
