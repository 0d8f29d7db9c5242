import Logging
import MKMessages
import NIOCore

extension RPCServer {
    /// Serves one connection until it closes. Never throws: whatever goes wrong on a connection
    /// (a protocol violation, a reset) closes that connection only.
    func serve(_ connection: RPCServerConnection, id: Int) async {
        self.metrics.connectionOpened()
        defer {
            self.connections.remove(id)
            self.metrics.connectionClosed()
        }
        var logger = self.logger
        logger[metadataKey: "rpc-peer"] = "\(connection.peer)"
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                // No frame is read before the transport authenticated the peer (the TLS handshake
                // completed and the certificate names a service); otherwise the connection closes.
                let peerIdentity: String?
                do {
                    peerIdentity = try await connection.peerIdentity.get()
                } catch {
                    logger.notice(
                        "Refused a connection: the peer was not authenticated", metadata: ["error": "\(error)"])
                    return
                }
                var callLogger = logger
                if let peerIdentity {
                    callLogger[metadataKey: "rpc-caller"] = "\(peerIdentity)"
                }
                try await withThrowingDiscardingTaskGroup { group in
                    for try await body in inbound {
                        switch try RPCEnvelopeCodec.decode(body) {
                        case .request(let request):
                            try await self.accept(
                                request,
                                on: connection.state,
                                peerIdentity: peerIdentity,
                                outbound: outbound,
                                logger: callLogger,
                                group: &group
                            )
                        case .cancel(let callID):
                            connection.state.cancelCall(callID)
                        case .response:
                            throw RPCProtocolError("a client sent a response frame")
                        }
                    }
                    // The peer closed the connection (or it was closed for draining, idling or a
                    // stalled frame): nobody waits for the calls still running.
                    group.cancelAll()
                }
            }
        } catch let error as RPCProtocolError {
            logger.warning("Closed a connection that broke the protocol", metadata: ["reason": "\(error)"])
        } catch {
            logger.debug("A connection ended with an error", metadata: ["error": "\(error)"])
        }
    }

    /// Admits one request: answers at once what needs no handler (unknown method, draining, over
    /// the concurrency limit), or starts the handler in its own child task.
    private func accept(
        _ request: RPCFrame.Request,
        on connection: RPCServerConnectionState,
        peerIdentity: String?,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        logger connectionLogger: Logger,
        group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws {
        let receivedAt = ContinuousClock.now
        guard !connection.hasCall(request.callID) else {
            throw RPCProtocolError("call id \(request.callID) is already in flight")
        }
        var metadata = request.metadata
        if !RPCCallSetup.isValidTraceID(metadata.traceID) {
            metadata.traceID = RPCCallSetup.newTraceID()
        }
        var logger = connectionLogger
        logger[metadataKey: "trace-id"] = "\(metadata.traceID)"
        // The method name is peer input: only a registered one is logged whole.
        logger[metadataKey: "rpc-method"] = "\(request.method.prefix(200))"

        guard let handler = self.methods.handler(for: request.method) else {
            let error = RPCError(.unimplemented, "Unknown method \(request.method.prefix(200))")
            await self.answer(
                .failure(error), callID: request.callID, method: request.method,
                receivedAt: receivedAt, outbound: outbound, logger: logger)
            return
        }
        if let refusal = self.authorizationRefusal(of: handler, peerIdentity: peerIdentity) {
            logger.notice("Refused a call: the caller is not allowed to call the method")
            await self.answer(
                .failure(refusal), callID: request.callID, method: request.method,
                receivedAt: receivedAt, outbound: outbound, logger: logger)
            return
        }
        if connection.isDraining && handler.descriptor != RPCHealthService.check {
            let error = RPCError(.unavailable, "The server is shutting down", reason: "DRAINING")
            await self.answer(
                .failure(error), callID: request.callID, method: request.method,
                receivedAt: receivedAt, outbound: outbound, logger: logger)
            return
        }
        guard self.limiter.tryAcquire() else {
            logger.notice(
                "Refusing a call: the concurrency limit is reached", metadata: ["limit": "\(self.limiter.maximum)"])
            let error = RPCError(
                .resourceExhausted, "The server is at its concurrency limit", reason: "CONCURRENCY_LIMIT")
            await self.answer(
                .failure(error), callID: request.callID, method: request.method,
                receivedAt: receivedAt, outbound: outbound, logger: logger)
            return
        }

        let deadline: ContinuousClock.Instant? =
            if request.timeoutMicros == 0 {
                nil
            } else {
                receivedAt.advanced(by: .microseconds(Int64(min(request.timeoutMicros, Self.longestTimeoutMicros))))
            }
        let context = RPCContext(
            method: request.method,
            deadline: deadline,
            metadata: metadata,
            peerIdentity: peerIdentity,
            logger: logger
        )
        let cancellation = RPCCallCancellation()
        connection.callStarted(request.callID, cancellation: cancellation)
        let payload = ByteBuffer(bytes: request.payload)
        let callID = request.callID
        let callLogger = logger
        group.addTask {
            await RPCCallExecution.run(
                handler: handler,
                payload: payload,
                context: context,
                cancellation: cancellation
            ) { outcome in
                await self.answer(
                    outcome, callID: callID, method: context.method,
                    receivedAt: receivedAt, outbound: outbound, logger: callLogger)
            }
            // After the answer was handed to the channel: a draining connection closes after it.
            connection.callFinished(callID)
            self.limiter.release()
        }
    }

    /// Records the outcome and writes the response frame (none for a call the client cancelled, or
    /// when the connection is going away).
    private func answer(
        _ outcome: RPCCallExecution.Outcome,
        callID: UInt64,
        method: String,
        receivedAt: ContinuousClock.Instant,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        logger: Logger
    ) async {
        let result: Result<[UInt8], RPCError>
        switch outcome {
        case .abandoned:
            self.metrics.recordCall(method: method, code: .cancelled, duration: receivedAt.duration(to: .now))
            logger.debug("The client cancelled the call")
            return
        case .response(let message):
            do {
                result = .success(try message.serializedBytes())
            } catch {
                logger.error("The handler's response cannot be encoded", metadata: ["error": "\(error)"])
                result = .failure(RPCError(.internal, "internal error"))
            }
        case .failure(let error):
            result = .failure(error)
        }

        var frame: ByteBuffer
        var code = RPCStatusCode.ok
        if case .failure(let error) = result { code = error.code }
        do throws(RPCError) {
            frame = try RPCEnvelopeCodec.encode(
                .response(callID: callID, result: result),
                maximumFrameSize: self.configuration.maximumFrameSize
            )
        } catch {
            logger.error("The response cannot be sent", metadata: ["error": "\(error)"])
            let fallback =
                error.code == .resourceExhausted
                ? RPCError(.resourceExhausted, "The response exceeds the maximum frame size", reason: "FRAME_TOO_LARGE")
                : RPCError(.internal, "internal error")
            code = fallback.code
            guard
                let encoded = try? RPCEnvelopeCodec.encode(
                    .response(callID: callID, result: .failure(fallback)),
                    maximumFrameSize: self.configuration.maximumFrameSize
                )
            else { return }
            frame = encoded
        }

        let duration = receivedAt.duration(to: .now)
        self.metrics.recordCall(method: method, code: code, duration: duration)
        logger.debug("Call finished", metadata: ["rpc-code": "\(code)", "duration": "\(duration)"])
        guard !Task.isCancelled else {
            // The connection is closing; no one reads this answer.
            return
        }
        do {
            try await outbound.write(frame)
        } catch {
            logger.debug("The response could not be written", metadata: ["error": "\(error)"])
        }
    }
}
