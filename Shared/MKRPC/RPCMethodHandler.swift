public import MKMessages

/// One method a server answers: its descriptor and a function from the packed request to the
/// response message (which the server packs straight into the outgoing frame). Generated service
/// protocols produce these from typed methods.
public struct RPCMethodHandler: Sendable {
    /// The method.
    public let descriptor: RPCMethodDescriptor
    /// Decodes the request and runs the handler. Throws ``RPCError`` (or any error, which the
    /// server turns into INTERNAL).
    public let handle: @Sendable ([UInt8], RPCContext) async throws -> any ProtoMessage

    /// Wraps an untyped handler.
    public init(
        descriptor: RPCMethodDescriptor,
        handle: @escaping @Sendable ([UInt8], RPCContext) async throws -> any ProtoMessage
    ) {
        self.descriptor = descriptor
        self.handle = handle
    }

    /// Wraps a typed handler: a request that does not decode answers INVALID_ARGUMENT.
    public init<Request: ProtoMessage, Response: ProtoMessage>(
        descriptor: RPCMethodDescriptor,
        requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self,
        handler: @escaping @Sendable (Request, RPCContext) async throws -> Response
    ) {
        self.descriptor = descriptor
        self.handle = { bytes, context in
            let request: Request
            do {
                request = try Request(serializedBytes: bytes)
            } catch {
                throw RPCError(.invalidArgument, "The request is not a valid \(Request.protoMessageName): \(error)")
            }
            return try await handler(request, context)
        }
    }
}

/// A set of handlers served together, usually one proto `service`.
public protocol RPCService: Sendable {
    /// Every method the service answers.
    var methodHandlers: [RPCMethodHandler] { get }
}
