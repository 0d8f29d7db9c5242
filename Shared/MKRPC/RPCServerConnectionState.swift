import NIOCore

/// What the server's accept loop and drain see of one connection: its channel, and a way to reach
/// its ``RPCServerHandler`` (which owns the calls) on the connection's event loop.
///
/// While draining, a connection takes no new calls and closes as soon as its last call has
/// answered.
final class RPCServerConnectionState: Sendable {
    /// The connection's channel.
    let channel: any Channel
    /// Succeeds once the connection closed and every handler started on it returned.
    let finished: EventLoopFuture<Void>
    private let handler: NIOLoopBound<RPCServerHandler>
    private let drainSignal: RPCDrainSignal

    /// Must be created on the channel's event loop.
    init(channel: any Channel, handler: RPCServerHandler, finished: EventLoopFuture<Void>) {
        self.channel = channel
        self.finished = finished
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        self.drainSignal = handler.drainSignal
    }

    /// Starts serving calls from the authenticated `peerIdentity` (`nil` over plaintext).
    func activate(peerIdentity: String?) {
        let handler = self.handler
        self.channel.eventLoop.execute { handler.value.activate(peerIdentity: peerIdentity) }
    }

    /// Starts draining: calls arriving from now on are refused, and the connection closes once no
    /// call runs (at once when none does).
    func startDraining() {
        self.drainSignal.request()
        let handler = self.handler
        self.channel.eventLoop.execute { handler.value.startDraining() }
    }
}
