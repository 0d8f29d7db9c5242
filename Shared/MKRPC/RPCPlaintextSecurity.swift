import NIOCore

/// No transport security: nothing added to the pipeline, no peer identity, and therefore no
/// authorization. Only loopback hosts are accepted, at either end.
struct RPCPlaintextSecurity: RPCChannelSecurity {
    var authenticatesPeers: Bool { false }

    func checkListenHost(_ host: String) throws(RPCError) {
        guard RPCTransportSecurity.isLoopbackHost(host) else {
            throw RPCError(
                .failedPrecondition,
                "Plaintext RPC may only listen on a loopback address, not \(host.prefix(253)); configure mutual TLS",
                reason: "PLAINTEXT_NOT_LOOPBACK"
            )
        }
    }

    func checkUpstreamHost(_ host: String) throws(RPCError) {
        guard RPCTransportSecurity.isLoopbackHost(host) else {
            throw RPCError(
                .failedPrecondition,
                "Plaintext RPC may only call a loopback address, not \(host.prefix(253)); configure mutual TLS",
                reason: "PLAINTEXT_NOT_LOOPBACK"
            )
        }
    }

    func configureServerChannel(_ channel: any Channel) throws -> EventLoopFuture<String?> {
        channel.eventLoop.makeSucceededFuture(nil)
    }

    func configureClientChannel(_ channel: any Channel, host: String) throws -> EventLoopFuture<Void> {
        channel.eventLoop.makeSucceededVoidFuture()
    }
}
