import NIOCore
import NIOSSL
import NIOTLS

/// Sits right after the `NIOSSLHandler` and reports the outcome of the TLS handshake: its promise
/// succeeds with the peer's identity (see ``RPCCertificateIdentity``) when the handshake completes,
/// and fails when the handshake fails, times out or the connection closes first. When an identity
/// is required and the verified certificate names none, the connection is closed.
///
/// The promise always completes, so nothing waits on a connection that never authenticates. The
/// handler removes itself once the handshake succeeded. Loop-confined like every channel handler.
final class RPCTLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let sslHandler: NIOSSLHandler
    private let trustDomain: String
    private let requiresIdentity: Bool
    private let timeout: TimeAmount
    private let promise: EventLoopPromise<String?>
    private var completed = false
    private var timeoutTask: Scheduled<Void>?

    init(
        sslHandler: NIOSSLHandler,
        trustDomain: String,
        requiresIdentity: Bool,
        timeout: TimeAmount,
        promise: EventLoopPromise<String?>
    ) {
        self.sslHandler = sslHandler
        self.trustDomain = trustDomain
        self.requiresIdentity = requiresIdentity
        self.timeout = timeout
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timeoutTask = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            self.fail(RPCError(.unavailable, "The TLS handshake did not complete in time"))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.fail(RPCError(.unavailable, "The connection closed before the TLS handshake completed"))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent, !self.completed {
            let identity = self.sslHandler.peerCertificate.flatMap {
                RPCCertificateIdentity.identity(of: $0, trustDomain: self.trustDomain)
            }
            if identity == nil && self.requiresIdentity {
                self.fail(
                    RPCError(
                        .unauthenticated,
                        "The peer's certificate names no service identity: it needs one URI SAN "
                            + "spiffe://\(self.trustDomain)/<name>"
                    )
                )
                context.close(promise: nil)
                return
            }
            self.completed = true
            self.timeoutTask?.cancel()
            self.timeoutTask = nil
            self.promise.succeed(identity)
            context.fireUserInboundEventTriggered(event)
            // Its work is done; the connection's reads no longer pass through it.
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(RPCError(.unavailable, "The connection closed before the TLS handshake completed"))
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        self.timeoutTask?.cancel()
        self.timeoutTask = nil
        guard !self.completed else { return }
        self.completed = true
        self.promise.fail(error)
    }
}

@available(*, unavailable)
extension RPCTLSHandshakeHandler: Sendable {}
