/// What travels with a request besides its payload.
public struct RPCMetadata: Hashable, Sendable {
    /// W3C trace id (32 lowercase hex characters), or empty.
    public var traceID: String
    /// The calling service's self-declared name; informational (mutual TLS is authoritative).
    public var caller: String
    /// Makes a mutating call safe to retry; empty when the call has none.
    public var idempotencyKey: String

    /// Creates metadata; every field defaults to empty.
    public init(traceID: String = "", caller: String = "", idempotencyKey: String = "") {
        self.traceID = traceID
        self.caller = caller
        self.idempotencyKey = idempotencyKey
    }
}
