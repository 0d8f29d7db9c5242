import MKMessages
import MKRPC
import Synchronization

/// A scripted service: each method answers with a closure set by the test; an unscripted method
/// answers UNAVAILABLE. Honours the inherited deadline like the real clients do.
final class FakeBackend: RPCCaller, Sendable {
    typealias Handler = @Sendable (any ProtoMessage) async throws -> any ProtoMessage

    private let handlers = Mutex<[String: Handler]>([:])
    private let calls = Mutex<[String]>([])

    /// Answers `method` with `body`.
    func on<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: RPCMethodDescriptor, _ body: @escaping @Sendable (Request) async throws -> Response
    ) {
        handlers.withLock {
            $0[method.fullName] = { request in
                guard let typed = request as? Request else { throw RPCError(.internal, "wrong request type") }
                return try await body(typed)
            }
        }
    }

    /// The methods called so far, in order.
    var called: [String] { calls.withLock { $0 } }

    func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: RPCMethodDescriptor, request: Request, responseType: Response.Type, options: RPCCallOptions
    ) async throws -> Response {
        calls.withLock { $0.append(method.method) }
        guard let handler = handlers.withLock({ $0[method.fullName] }) else {
            throw RPCError(.unavailable, "not scripted")
        }
        let deadline = RPCTaskContext.deadline ?? .now.advanced(by: .seconds(10))
        let answer = try await withThrowingTaskGroup(of: (any ProtoMessage)?.self) { group in
            group.addTask { try await handler(request) }
            group.addTask {
                try await Task.sleep(until: deadline)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let answer else { throw RPCError(.deadlineExceeded, "deadline passed") }
        guard let typed = answer as? Response else { throw RPCError(.internal, "wrong response type") }
        return typed
    }
}
