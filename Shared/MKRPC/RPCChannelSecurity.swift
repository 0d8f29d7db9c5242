import NIOCore

/// The seam where transport security plugs into both ends of a connection.
///
/// Today only ``RPCPlaintextSecurity`` exists and it is internal: servers and clients are built with
/// it and nothing public claims more. Mutual TLS adds an implementation that puts a
/// `NIOSSLServerHandler` / `NIOSSLClientHandler` first in the pipeline (before the frame decoder)
/// and reads the peer's identity from its verified certificate; the server then passes that
/// identity to ``RPCContext/peerIdentity`` and checks it against a per-method allowlist before
/// dispatch (see `RPCServer.serve(_:)`), and the public configuration gains the certificate options.
protocol RPCChannelSecurity: Sendable {
    /// Adds the handlers that must come before framing on an accepted connection. Runs on the
    /// channel's event loop during channel initialisation.
    func configureServerChannel(_ channel: any Channel) throws

    /// Adds the handlers that must come before framing on an outgoing connection to `host`.
    func configureClientChannel(_ channel: any Channel, host: String) throws

    /// The authenticated identity of the peer, available once the connection is set up; `nil`
    /// when the transport authenticates nobody.
    func peerIdentity(of channel: any Channel) async throws -> String?
}
