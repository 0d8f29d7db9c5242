public import MKContracts
public import MKRPC

/// The three services the gateway composes, as typed clients over any caller (pooled network
/// clients in production, in-process callers or fakes in tests).
public struct GatewayBackends: Sendable {
    /// The Device Registry.
    public var registry: Mk_Registry_V1_DeviceRegistry.Client
    /// Preferences.
    public var preferences: Mk_Preferences_V1_Preferences.Client
    /// BOK.
    public var bok: Mk_Bok_V1_Bok.Client

    /// Creates the backends from one caller per service.
    public init(registry: any RPCCaller, preferences: any RPCCaller, bok: any RPCCaller) {
        self.registry = Mk_Registry_V1_DeviceRegistry.Client(caller: registry)
        self.preferences = Mk_Preferences_V1_Preferences.Client(caller: preferences)
        self.bok = Mk_Bok_V1_Bok.Client(caller: bok)
    }
}
