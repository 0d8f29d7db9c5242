public import MKRPC

/// Who asked for a change, as a service's audit trail records it.
public struct CallOrigin: Sendable {
    /// The calling service's declared name (metadata), or the service's own name for its own work.
    public var caller: String
    /// The caller's identity from its TLS certificate, or empty on plaintext and for own work.
    public var peerIdentity: String
    /// The request's trace id, or empty.
    public var traceID: String

    /// The origin of the call `context` describes; each part is truncated to its audit column's length.
    public init(_ context: RPCContext) {
        caller = String(context.metadata.caller.prefix(128))
        peerIdentity = String((context.peerIdentity ?? "").prefix(256))
        traceID = String(context.metadata.traceID.prefix(64))
    }

    /// The origin of work a service does by itself (expiring requests, applying events), named
    /// `service` (at most 128 characters are kept).
    public init(service: String) {
        caller = String(service.prefix(128))
        peerIdentity = ""
        traceID = ""
    }
}
