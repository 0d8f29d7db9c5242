internal import MKContracts
public import MKRPC

extension PreferencesService {
    /// Who may call what over mutual TLS: the gateway every Preferences call it serves; BOK only
    /// the list of BOK-pad keys; the registry and BOK deliver their events. Anyone else is refused.
    public static let authorizationPolicy = RPCAuthorizationPolicy()
        .allowing(["gateway"], toCallEveryMethodOf: Mk_Preferences_V1_Preferences.serviceName)
        .allowing(["bok"], toCall: Mk_Preferences_V1_Preferences.Method.listBokPadDevices)
        .allowing(["device-registry", "bok"], toCall: Mk_Events_V1_EventSink.Method.deliverEvents)
}
