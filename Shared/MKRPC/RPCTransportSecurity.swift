/// How an RPC connection is protected: set on ``RPCServer/Configuration/security`` and
/// ``RPCClient/Configuration/security``.
///
/// With ``mutualTLS(_:)`` both ends present certificates from one CA, the server knows its caller
/// from the caller's certificate (``RPCContext/peerIdentity``) and checks every call against its
/// ``RPCAuthorizationPolicy``. ``plaintext`` is for loopback development only: nothing is
/// encrypted, no caller is authenticated, ``RPCContext/peerIdentity`` is `nil` and the
/// authorization policy is **not applied** (every registered method answers every caller). So that
/// this can never happen across a network, a plaintext server refuses to listen on anything but a
/// loopback address and a plaintext client refuses to call anything but a loopback address (see
/// ``isLoopbackHost(_:)``).
public enum RPCTransportSecurity: Sendable {
    /// No encryption and no authentication; loopback addresses only.
    case plaintext
    /// Mutual TLS with the given certificates.
    case mutualTLS(RPCTLSConfiguration)

    /// True for the hosts plaintext is allowed to: `localhost`, `127.0.0.0/8` and `::1`, written
    /// literally (a name that merely resolves to a loopback address is not accepted).
    public static func isLoopbackHost(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" {
            return true
        }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && (UInt8(octet) != nil)
        }
    }

    /// The channel security that implements this choice.
    var channelSecurity: any RPCChannelSecurity {
        switch self {
        case .plaintext: RPCPlaintextSecurity()
        case .mutualTLS(let configuration): RPCMutualTLSSecurity(configuration: configuration)
        }
    }
}
