/// Which callers may call which methods of a server: set on ``RPCServer/Configuration/authorization``.
///
/// A caller is the service identity from its TLS certificate (``RPCContext/peerIdentity``,
/// `gateway`). Deny by default: a method neither listed itself nor covered by a whole-service entry
/// is refused to everyone, and a caller not listed is refused. A refused call answers
/// PERMISSION_DENIED (reason `CALLER_NOT_ALLOWED`) without reaching its handler. The health check
/// (``RPCServer/healthCheckMethod``) is always allowed to every authenticated caller.
///
/// Applied only with ``RPCTransportSecurity/mutualTLS(_:)``: over plaintext no caller is
/// authenticated and the server does not apply the policy at all.
///
/// ```swift
/// var policy = RPCAuthorizationPolicy()
/// policy.allow(["gateway"], toCallEveryMethodOf: "mk.registry.v1.DeviceRegistry")
/// policy.allow(["bok"], toCall: RegistryMethods.getDevice)
/// ```
public struct RPCAuthorizationPolicy: Sendable, Hashable {
    /// Full method name → callers.
    private var methodCallers: [String: Set<String>] = [:]
    /// Fully qualified service name → callers of every one of its methods.
    private var serviceCallers: [String: Set<String>] = [:]

    /// An empty policy: denies every method but the health check to every caller.
    public init() {}

    /// Allows `callers` (service identities) to call `method`, besides whoever was allowed before.
    public mutating func allow(_ callers: Set<String>, toCall method: RPCMethodDescriptor) {
        self.methodCallers[method.fullName, default: []].formUnion(callers)
    }

    /// Allows `callers` to call every method of `service`, the fully qualified service name
    /// (`mk.registry.v1.DeviceRegistry`), including methods added to it later.
    public mutating func allow(_ callers: Set<String>, toCallEveryMethodOf service: String) {
        self.serviceCallers[service, default: []].formUnion(callers)
    }

    /// A copy that also allows `callers` to call `method`.
    public func allowing(_ callers: Set<String>, toCall method: RPCMethodDescriptor) -> Self {
        var copy = self
        copy.allow(callers, toCall: method)
        return copy
    }

    /// A copy that also allows `callers` to call every method of `service`.
    public func allowing(_ callers: Set<String>, toCallEveryMethodOf service: String) -> Self {
        var copy = self
        copy.allow(callers, toCallEveryMethodOf: service)
        return copy
    }

    /// True when `caller` may call the method named `fullMethodName`
    /// (`mk.registry.v1.DeviceRegistry/ListDevices`). Says nothing about the health check, which the
    /// server allows regardless.
    public func allows(_ caller: String, toCall fullMethodName: String) -> Bool {
        if self.methodCallers[fullMethodName]?.contains(caller) == true {
            return true
        }
        guard let slash = fullMethodName.lastIndex(of: "/") else { return false }
        return self.serviceCallers[String(fullMethodName[..<slash])]?.contains(caller) == true
    }

    /// The callers allowed to call `fullMethodName`, by its own entry or its service's.
    public func callers(allowedToCall fullMethodName: String) -> Set<String> {
        var callers = self.methodCallers[fullMethodName] ?? []
        if let slash = fullMethodName.lastIndex(of: "/") {
            callers.formUnion(self.serviceCallers[String(fullMethodName[..<slash])] ?? [])
        }
        return callers
    }

    /// The method names with an entry of their own.
    var listedMethods: Set<String> { Set(self.methodCallers.keys) }

    /// The service names with a whole-service entry.
    var listedServices: Set<String> { Set(self.serviceCallers.keys) }
}
