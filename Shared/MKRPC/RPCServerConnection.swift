import NIOCore

/// An accepted connection as the server's accept loop receives it: its channel, its state, and
/// how the transport authenticates the peer.
struct RPCServerConnection: Sendable {
    /// The channel, whose last handler is the connection's ``RPCServerHandler``.
    let channel: any Channel
    /// The connection's handler as the server reaches it, and when it is done.
    let state: RPCServerConnectionState
    /// Succeeds with the peer's authenticated identity once the transport is set up (`nil` over
    /// plaintext); fails when the peer could not be authenticated.
    let peerIdentity: EventLoopFuture<String?>
    /// The peer's address, for logs.
    let peer: String
}
