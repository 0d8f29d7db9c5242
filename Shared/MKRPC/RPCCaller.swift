public import MKMessages

/// Anything that can perform a unary call: the pooled network client, or an in-process
/// transport in tests. Generated typed clients are built on it.
public protocol RPCCaller: Sendable {
    /// Sends `request` to `method` and waits for its response.
    ///
    /// Throws ``RPCError`` only: a failed call, a deadline passed (DEADLINE_EXCEEDED), the task
    /// cancelled (CANCELLED), or no server reachable (UNAVAILABLE).
    func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: RPCMethodDescriptor,
        request: Request,
        responseType: Response.Type,
        options: RPCCallOptions
    ) async throws -> Response
}
