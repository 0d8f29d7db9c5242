import NIOCore

/// The seam where transport security plugs into both ends of a connection: ``RPCPlaintextSecurity``
/// or ``RPCMutualTLSSecurity``, chosen by ``RPCTransportSecurity``.
protocol RPCChannelSecurity: Sendable {
    /// True when ``configureServerChannel(_:)`` yields an authenticated identity, so the server
    /// applies its ``RPCAuthorizationPolicy``.
    var authenticatesPeers: Bool { get }

    /// Refuses a listen host this security must not be used on (plaintext off loopback).
    func checkListenHost(_ host: String) throws(RPCError)

    /// Refuses an upstream host this security must not be used with (plaintext off loopback).
    func checkUpstreamHost(_ host: String) throws(RPCError)

    /// Adds the handlers that must come before framing on an accepted connection. Runs on the
    /// channel's event loop during channel initialisation. The future succeeds with the peer's
    /// authenticated identity once the connection is set up (`nil` when the transport authenticates
    /// nobody) and fails when the peer cannot be authenticated; it always completes.
    func configureServerChannel(_ channel: any Channel) throws -> EventLoopFuture<String?>

    /// Adds the handlers that must come before framing on an outgoing connection to `host`. The
    /// future succeeds once the connection is set up (the server authenticated) and fails when it
    /// cannot be; it always completes.
    func configureClientChannel(_ channel: any Channel, host: String) throws -> EventLoopFuture<Void>
}
