public import Logging
public import MKMessages
public import NIOCore
public import NIOPosix
public import ServiceLifecycle

/// Calls the server at one upstream address (a Kubernetes Service name and port) over a small
/// pool of multiplexed connections: connects lazily, reconnects with jittered exponential backoff,
/// spreads calls over the connections. A call made from a task running on one of the connections'
/// event loops (``RPCEventLoopExecutor``) goes out on that loop's connection.
///
/// Every call has a deadline: the earliest of its options' timeout, the inherited
/// ``RPCTaskContext/deadline`` and ``Configuration/defaultTimeout``. When it passes, the call fails
/// DEADLINE_EXCEEDED and the server is sent CANCEL; cancelling the calling task does the same with
/// CANCELLED. UNAVAILABLE is retried (up to ``Configuration/maximumAttempts``, within the deadline)
/// when the request never reached a connection, or the method is idempotent, or the call carries
/// an idempotency key. Errors are always ``RPCError``.
///
/// Connections are protected as ``Configuration/security`` says: with mutual TLS the client
/// presents its certificate and accepts only a server certificate from the configured CA that is
/// valid for the host it connects to; plaintext calls loopback addresses only.
///
/// A `Service`: ``run()`` returns after a graceful shutdown and closes the connections. List it
/// before the server that uses it in the `ServiceGroup`, so it shuts down after that server drained.
public final class RPCClient: RPCCaller, Service {
    private let configuration: Configuration
    /// The connections (internal for the tests that check which one a call takes).
    let pool: RPCConnectionPool
    private let logger: Logger
    /// Why every call fails at once (plaintext to a host that is not loopback), if it does.
    private let refusal: RPCError?

    /// Creates a client for `host`:`port`, protected as ``Configuration/security`` says. Nothing
    /// connects until the first call.
    public init(
        host: String,
        port: Int,
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mk.rpc.client")
    ) {
        precondition(
            configuration.maximumFrameSize > 0
                && configuration.maximumFrameSize <= RPCFrameDecoder.largestMaximumFrameSize,
            "maximumFrameSize must be in 1...\(UInt32.max)"
        )
        precondition(configuration.connections > 0, "connections must be positive")
        precondition(configuration.maximumAttempts > 0, "maximumAttempts must be positive")
        var logger = logger
        logger[metadataKey: "rpc-upstream"] = "\(host):\(port)"
        let security = configuration.security.channelSecurity
        do throws(RPCError) {
            try security.checkUpstreamHost(host)
            self.refusal = nil
        } catch {
            logger.error("This client refuses every call", metadata: ["error": "\(error)"])
            self.refusal = error
        }
        self.configuration = configuration
        self.logger = logger
        self.pool = RPCConnectionPool(
            host: host,
            port: port,
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            security: security,
            logger: logger
        )
    }

    /// Waits for the graceful shutdown of the service group (or cancellation), then closes every
    /// connection.
    public func run() async throws {
        try? await gracefulShutdown()
        self.shutdown()
    }

    /// Closes every connection now: calls in flight and later calls fail UNAVAILABLE.
    public func shutdown() {
        self.pool.shutDown()
    }

    /// Sends `request` to `method` and waits for the response. Throws ``RPCError`` only.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: RPCMethodDescriptor,
        request: Request,
        responseType: Response.Type,
        options: RPCCallOptions
    ) async throws -> Response {
        if let refusal = self.refusal {
            throw refusal
        }
        let now = ContinuousClock.now
        let deadline = RPCCallSetup.deadline(
            options: options, defaultTimeout: self.configuration.defaultTimeout, now: now)
        guard !Task.isCancelled else {
            throw RPCError(.cancelled, "The call was cancelled")
        }
        guard now < deadline else {
            throw RPCError(.deadlineExceeded, "The deadline passed before the call was sent")
        }
        let metadata = RPCCallSetup.metadata(options.metadata, defaultCaller: self.configuration.callerName)
        let payload: [UInt8]
        do {
            payload = try request.serializedBytes()
        } catch {
            throw RPCError(.invalidArgument, "The request cannot be encoded: \(error)")
        }
        let mayRetrySentRequest = method.isIdempotent || !metadata.idempotencyKey.isEmpty

        var attempt = 1
        let responseBytes: [UInt8]
        while true {
            do throws(RPCAttemptError) {
                responseBytes = try await self.attempt(
                    method: method.fullName,
                    payload: payload,
                    metadata: metadata,
                    deadline: deadline
                )
                break
            } catch {
                if Task.isCancelled {
                    throw RPCError(.cancelled, "The call was cancelled")
                }
                guard error.error.code == .unavailable,
                    attempt < self.configuration.maximumAttempts,
                    !error.requestMayHaveBeenSent || mayRetrySentRequest
                else {
                    throw error.error
                }
                let delay = self.configuration.retryBackoff.delay(afterFailures: attempt)
                guard ContinuousClock.now.advanced(by: delay) < deadline else {
                    throw error.error
                }
                self.logger.debug(
                    "Retrying a call after UNAVAILABLE",
                    metadata: [
                        "rpc-method": "\(method.fullName)", "trace-id": "\(metadata.traceID)",
                        "attempt": "\(attempt + 1)", "error": "\(error.error)",
                    ]
                )
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw RPCError(.cancelled, "The call was cancelled")
                }
                attempt += 1
            }
        }
        do {
            return try Response(serializedBytes: responseBytes)
        } catch {
            throw RPCError(.internal, "The response is not a valid \(Response.protoMessageName): \(error)")
        }
    }

    /// One attempt: a connection, the request written, the response awaited.
    private func attempt(
        method: String,
        payload: [UInt8],
        metadata: RPCMetadata,
        deadline: ContinuousClock.Instant
    ) async throws(RPCAttemptError) -> [UInt8] {
        let callID = self.pool.makeCallID()
        let frame: ByteBuffer
        do {
            frame = try RPCEnvelopeCodec.encode(
                .request(
                    RPCFrame.Request(
                        callID: callID,
                        method: method,
                        timeoutMicros: RPCCallSetup.timeoutMicros(until: deadline),
                        metadata: metadata,
                        payload: payload
                    )
                ),
                maximumFrameSize: self.configuration.maximumFrameSize
            )
        } catch {
            throw RPCAttemptError(error, requestMayHaveBeenSent: false)
        }
        let connection = try await self.pool.connection(until: deadline)
        let nioDeadline = RPCCallSetup.nioDeadline(for: deadline)
        do {
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { response in
                    connection.send(
                        .call(
                            RPCClientHandler.Call(
                                callID: callID, frame: frame, deadline: nioDeadline, response: response)))
                    // Commands reach the handler in the order they were sent, and a CANCEL sent
                    // before its call is ignored: a cancellation that came before the call was
                    // queued sends another, behind it.
                    if Task.isCancelled {
                        connection.send(.cancel(callID: callID))
                    }
                }
            } onCancel: {
                connection.send(.cancel(callID: callID))
            }
        } catch let error as RPCAttemptError {
            throw error
        } catch {
            throw RPCAttemptError(RPCError(.unavailable, "The call failed: \(error)"), requestMayHaveBeenSent: true)
        }
    }
}
