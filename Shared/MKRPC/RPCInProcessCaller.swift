public import Logging
public import MKMessages

/// Calls ``RPCService``s in the same process, without a network: the request and response are
/// still encoded and decoded, the deadline, task-locals, cancellation and error mapping are the
/// server's. For fast tests of services and of code that calls them.
public struct RPCInProcessCaller: RPCCaller {
    private let methods: RPCMethodRegistry
    private let defaultTimeout: Duration
    private let peerIdentity: String?
    private let callerName: String
    private let logger: Logger

    /// Creates a caller of `services`. `peerIdentity` is what handlers see as
    /// ``RPCContext/peerIdentity`` (as if the caller had presented that certificate).
    public init(
        services: [any RPCService],
        defaultTimeout: Duration = .seconds(10),
        peerIdentity: String? = nil,
        callerName: String = "",
        logger: Logger = Logger(label: "mk.rpc.in-process")
    ) {
        self.methods = RPCMethodRegistry(services: services)
        self.defaultTimeout = defaultTimeout
        self.peerIdentity = peerIdentity
        self.callerName = callerName
        self.logger = logger
    }

    /// Runs the handler of `method` with `request`. Throws ``RPCError`` only.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: RPCMethodDescriptor,
        request: Request,
        responseType: Response.Type,
        options: RPCCallOptions
    ) async throws -> Response {
        let deadline = RPCCallSetup.deadline(options: options, defaultTimeout: self.defaultTimeout)
        guard !Task.isCancelled else {
            throw RPCError(.cancelled, "The call was cancelled")
        }
        guard ContinuousClock.now < deadline else {
            throw RPCError(.deadlineExceeded, "The deadline passed before the call was sent")
        }
        let metadata = RPCCallSetup.metadata(options.metadata, defaultCaller: self.callerName)
        guard let handler = self.methods.handler(for: method.fullName) else {
            throw RPCError(.unimplemented, "Unknown method \(method.fullName)")
        }
        let payload: [UInt8]
        do {
            payload = try request.serializedBytes()
        } catch {
            throw RPCError(.invalidArgument, "The request cannot be encoded: \(error)")
        }
        let context = RPCContext(
            method: method.fullName,
            deadline: deadline,
            metadata: metadata,
            peerIdentity: self.peerIdentity,
            untaggedLogger: self.logger
        )
        let outcome = await RPCCallExecution.run(handler: handler, payload: payload, context: context)
        if Task.isCancelled {
            throw RPCError(.cancelled, "The call was cancelled")
        }
        switch outcome {
        case .response(let message):
            do {
                return try Response(serializedBytes: try message.serializedBytes())
            } catch {
                context.logger.error("The handler's response does not round-trip", metadata: ["error": "\(error)"])
                throw RPCError(.internal, "internal error")
            }
        case .failure(let error):
            throw error
        case .abandoned:
            throw RPCError(.cancelled, "The call was cancelled")
        }
    }
}
