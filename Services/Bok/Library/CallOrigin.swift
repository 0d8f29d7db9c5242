internal import MKRPC

/// Who asked for a change, as the audit trail records it.
struct CallOrigin: Sendable {
    /// The calling service's declared name (metadata), or empty.
    var caller: String
    /// The caller's identity from its TLS certificate, or empty on plaintext.
    var peerIdentity: String
    /// The request's trace id, or empty.
    var traceID: String

    /// The origin of the call `context` describes.
    init(_ context: RPCContext) {
        caller = String(context.metadata.caller.prefix(128))
        peerIdentity = String((context.peerIdentity ?? "").prefix(256))
        traceID = String(context.metadata.traceID.prefix(64))
    }

    /// The origin of work the service does by itself (expiring requests).
    static let service = CallOrigin(caller: "bok", peerIdentity: "", traceID: "")

    private init(caller: String, peerIdentity: String, traceID: String) {
        self.caller = caller
        self.peerIdentity = peerIdentity
        self.traceID = traceID
    }
}
