internal import MKContracts
public import MKRPC

extension BokService {
    /// Who may call what over mutual TLS: only the gateway, which authenticates offices, counters
    /// and the app's devices before it calls.
    public static let authorizationPolicy = RPCAuthorizationPolicy()
        .allowing(["gateway"], toCallEveryMethodOf: Mk_Bok_V1_Bok.serviceName)
}
