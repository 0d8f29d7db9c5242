internal import MKRPC

/// Who asked for a change, as the audit trail records it.
struct CallOrigin: Sendable {
    /// The calling service's declared name (metadata), or a fixed name for internal work.
    var caller: String
    /// The request's trace id, or empty.
    var traceID: String

    /// The origin of the call `context` describes.
    init(_ context: RPCContext) {
        caller = String(context.metadata.caller.prefix(128))
        traceID = String(context.metadata.traceID.prefix(64))
    }

    /// An origin inside the service (events, the delivery worker).
    init(internal caller: String) {
        self.caller = caller
        traceID = ""
    }
}
