import NIOCore

/// An accepted connection as the server's accept loop receives it: the async channel carrying
/// frame bodies in and packed frames out, and its state.
struct RPCServerConnection: Sendable {
    /// Frame bodies in, complete frames (length prefix included) out.
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    /// The calls running on it and whether it drains.
    let state: RPCServerConnectionState
    /// Succeeds with the peer's authenticated identity once the transport is set up (`nil` over
    /// plaintext); fails when the peer could not be authenticated.
    let peerIdentity: EventLoopFuture<String?>
    /// The peer's address, for logs.
    let peer: String
}
