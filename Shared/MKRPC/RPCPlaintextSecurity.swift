import NIOCore

/// No transport security: nothing added to the pipeline, no peer identity. For loopback, tests and
/// deployments where the network layer (a service mesh) provides mutual TLS.
struct RPCPlaintextSecurity: RPCChannelSecurity {
    func configureServerChannel(_ channel: any Channel) throws {}

    func configureClientChannel(_ channel: any Channel, host: String) throws {}

    func peerIdentity(of channel: any Channel) async throws -> String? {
        nil
    }
}
