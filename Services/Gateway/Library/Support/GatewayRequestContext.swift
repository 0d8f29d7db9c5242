public import Hummingbird
internal import NIOCore

/// The per-request state every handler sees: the correlation id, the client's address after
/// trusted-proxy resolution, and the citizen's session when the request carries a valid one.
public struct GatewayRequestContext: RequestContext {
    /// Hummingbird's own storage.
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's address, or `nil` when unknown (in-process tests).
    public var peerAddress: String?
    /// This request's correlation id (also the trace id sent downstream).
    public var correlationID = ""
    /// The client's address: the peer, or the forwarded client when the peer is a trusted proxy.
    public var clientAddress = "unknown"
    /// The citizen's valid session, if any.
    public var session: CitizenSession?
    /// True when the request carried a session cookie that expired or did not open.
    public var sessionExpired = false
    /// True when the request carried a session that was signed out.
    public var sessionRevoked = false
    /// A session whose cookie is valid but whose sign-out state the Device Registry could not tell;
    /// citizen pages then answer "temporarily unavailable" (fail closed), only sign-out uses it.
    public var unverifiedSession: CitizenSession?

    /// Creates the context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
