public import MKRPC
public import Testing

/// Awaits `body` and returns the `RPCError` it throws; records an issue and returns `nil` when it
/// succeeds or throws anything else.
public func rpcError(_ body: () async throws -> some Any, sourceLocation: SourceLocation = #_sourceLocation) async
    -> RPCError?
{
    do {
        _ = try await body()
        Issue.record("expected an RPCError, the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
