internal import MKContracts
public import MKRPC

extension DeviceRegistryService {
    /// Who may call what over mutual TLS: the gateway everything (it serves citizens, the app and the
    /// identity provider); BOK only what checking a BOK answer needs. Anyone else is refused.
    public static let authorizationPolicy = RPCAuthorizationPolicy()
        .allowing(["gateway"], toCallEveryMethodOf: Mk_Registry_V1_DeviceRegistry.serviceName)
        .allowing(["bok"], toCall: Mk_Registry_V1_DeviceRegistry.Method.verifyDeviceSignature)
        .allowing(["bok"], toCall: Mk_Registry_V1_DeviceRegistry.Method.getDevice)
        .allowing(["bok"], toCall: Mk_Registry_V1_DeviceRegistry.Method.listDevices)
}
