/// Why one attempt of a client call failed, and whether its request may have reached the server
/// (which decides whether a non-idempotent call may be retried).
struct RPCAttemptError: Error, Sendable {
    /// What the caller gets if the call is not retried.
    var error: RPCError
    /// False only when the request certainly never left this process (no connection, or the
    /// connection was gone before the request was handed to it).
    var requestMayHaveBeenSent: Bool

    init(_ error: RPCError, requestMayHaveBeenSent: Bool) {
        self.error = error
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
    }
}
