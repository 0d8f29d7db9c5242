import NIOCore
import NIOSSL

/// Mutual TLS with swift-nio-ssl: a TLS handler first in every pipeline, then
/// ``RPCTLSHandshakeHandler`` reporting the handshake and the peer's identity. Servers require an
/// identity in the client's certificate; clients check the server's certificate against the CA
/// and the host name (NIOSSL's full verification).
struct RPCMutualTLSSecurity: RPCChannelSecurity {
    let configuration: RPCTLSConfiguration

    var authenticatesPeers: Bool { true }

    func checkListenHost(_ host: String) throws(RPCError) {}

    func checkUpstreamHost(_ host: String) throws(RPCError) {}

    func configureServerChannel(_ channel: any Channel) throws -> EventLoopFuture<String?> {
        let promise = channel.eventLoop.makePromise(of: String?.self)
        do {
            let ssl = NIOSSLServerHandler(context: self.configuration.serverContext)
            try self.add(ssl, requiresIdentity: true, promise: promise, to: channel)
        } catch {
            promise.fail(error)
            throw error
        }
        return promise.futureResult
    }

    func configureClientChannel(_ channel: any Channel, host: String) throws -> EventLoopFuture<Void> {
        let promise = channel.eventLoop.makePromise(of: String?.self)
        do {
            // An IP literal cannot go in SNI; without a name NIOSSL matches the certificate's IP
            // address SANs against the address connected to.
            let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
            let name = self.configuration.serverHostname ?? (isIPAddress ? nil : host)
            let ssl = try NIOSSLClientHandler(context: self.configuration.clientContext, serverHostname: name)
            try self.add(ssl, requiresIdentity: false, promise: promise, to: channel)
        } catch {
            promise.fail(error)
            throw error
        }
        return promise.futureResult.map { _ in }
    }

    private func add(
        _ ssl: NIOSSLHandler,
        requiresIdentity: Bool,
        promise: EventLoopPromise<String?>,
        to channel: any Channel
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ssl)
        try pipeline.addHandler(
            RPCTLSHandshakeHandler(
                sslHandler: ssl,
                trustDomain: self.configuration.trustDomain,
                requiresIdentity: requiresIdentity,
                timeout: TimeAmount(self.configuration.handshakeTimeout),
                promise: promise
            )
        )
    }
}
