import Logging
import MKMessages
import NIOCore

/// Serves the calls of one server connection on its event loop.
///
/// Decodes each request frame and answers at once what needs no handler (unknown method, a caller
/// the policy refuses, draining, the concurrency limit). Every other call's handler runs in its own
/// task; its response is queued in an ``RPCServerOutbox`` and written on the loop together with
/// whatever else finished meanwhile, with one flush.
///
/// Each call races its deadline (the connection's timer, at the earliest deadline of its calls,
/// answers DEADLINE_EXCEEDED and cancels the handler), a CANCEL frame (nothing is answered; the
/// handler is cancelled) and the connection closing (every handler is cancelled). A call counts as
/// running — for the concurrency limit, the idle timeout and draining — until its handler has
/// returned.
///
/// No frame is served before ``activate(peerIdentity:)``: the server activates a connection once it
/// admitted it and the transport authenticated the peer; frames arriving earlier wait.
///
/// The last handler of a server connection's pipeline; loop-confined (``RPCServerConnectionState``
/// reaches it through the loop).
final class RPCServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Frames kept before the connection is activated; a peer sending more is closed.
    static let framesBeforeActivation = 1_024

    private enum Admission {
        /// Not yet admitted and authenticated: frames wait.
        case waiting([ByteBuffer])
        /// Serving calls.
        case serving
        /// Closed for breaking the protocol: later frames are dropped.
        case broken
    }

    private struct Call {
        /// The handler's task.
        let task: Task<Void, Never>
        /// When the caller stops waiting; `nil` when it set no deadline or the call is settled.
        var deadline: NIODeadline?
        /// True once the caller was answered (deadline) or gave up (CANCEL) before the handler
        /// returned; the handler's own outcome is then dropped.
        var settled = false
        let method: String
        let receivedAt: ContinuousClock.Instant
        /// Builds the call's logger when something is logged.
        let context: RPCContext
    }

    /// Set by the server, from any thread, when it starts draining.
    let drainSignal = RPCDrainSignal()
    private let server: RPCServer
    private let activity: RPCConnectionActivity
    private let outbox = RPCServerOutbox()
    private let finished: EventLoopPromise<Void>
    private var context: ChannelHandlerContext?
    /// Runs the handlers' tasks on the connection's event loop.
    private var executor: RPCEventLoopExecutor?
    private var logger: Logger
    private var peerIdentity: String?
    private var admission = Admission.waiting([])
    private var calls: [UInt64: Call] = [:]
    /// Fires at the earliest deadline of the calls not yet settled; made once the loop is known.
    private var timer: RPCDeadlineTimer?
    private var draining = false
    private var isOpen = true
    private var needsFlush = false

    /// `finished` is completed once the connection closed and every handler started on it returned.
    init(server: RPCServer, activity: RPCConnectionActivity, peer: String, finished: EventLoopPromise<Void>) {
        self.server = server
        self.activity = activity
        self.finished = finished
        var logger = server.logger
        logger[metadataKey: "rpc-peer"] = "\(peer)"
        self.logger = logger
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.executor = RPCEventLoopExecutor(eventLoop: context.eventLoop)
        self.timer = RPCDeadlineTimer(eventLoop: context.eventLoop) { [weak self] in self?.expireDueCalls() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionClosed()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionClosed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let body = Self.unwrapInboundIn(data)
        switch self.admission {
        case .waiting(var frames):
            guard frames.count < Self.framesBeforeActivation else {
                self.breakConnection(RPCProtocolError("too many frames before the connection was admitted"))
                return
            }
            self.admission = .serving  // Lets the array be appended in place.
            frames.append(body)
            self.admission = .waiting(frames)
        case .serving:
            self.process(body)
        case .broken:
            return
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flushIfNeeded()
        context.fireChannelReadComplete()
    }

    /// Backpressure: while the peer does not read its answers (the outbound buffer is over its high
    /// watermark), no more requests are read from it.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? RPCProtocolError {
            self.breakConnection(error)
        } else {
            self.logger.debug("A connection ended with an error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    // MARK: - Driven by the server

    /// Starts serving calls, the frames that arrived meanwhile first. `peerIdentity` is the
    /// authenticated caller (`nil` over plaintext).
    func activate(peerIdentity: String?) {
        guard case .waiting(let frames) = self.admission else { return }
        self.peerIdentity = peerIdentity
        if let peerIdentity {
            self.logger[metadataKey: "rpc-caller"] = "\(peerIdentity)"
        }
        self.admission = .serving
        guard self.isOpen else { return }
        for frame in frames {
            guard case .serving = self.admission else { break }
            self.process(frame)
        }
        self.flushIfNeeded()
    }

    /// Takes no new calls (except health checks) and closes the connection once the calls in
    /// flight have finished — at once when there are none.
    func startDraining() {
        self.draining = true
        self.closeIfDrained()
    }

    // MARK: - Calls

    private func process(_ body: ByteBuffer) {
        do throws(RPCProtocolError) {
            switch try RPCEnvelopeCodec.decode(body) {
            case .request(let request):
                try self.accept(request)
            case .cancel(let callID):
                self.cancel(callID)
            case .response:
                throw RPCProtocolError("a client sent a response frame")
            }
        } catch {
            self.breakConnection(error)
        }
    }

    /// Admits one request: answers at once what needs no handler, or starts its handler.
    private func accept(_ request: RPCFrame.Request) throws(RPCProtocolError) {
        let receivedAt = ContinuousClock.now
        guard self.calls[request.callID] == nil else {
            throw RPCProtocolError("call id \(request.callID) is already in flight")
        }
        var metadata = request.metadata
        if !RPCCallSetup.isValidTraceID(metadata.traceID) {
            metadata.traceID = RPCCallSetup.newTraceID()
        }
        let server = self.server

        guard let handler = server.methods.handler(for: request.method) else {
            let error = RPCError(.unimplemented, "Unknown method \(request.method.prefix(200))")
            // The method name is peer input: only a registered one is logged whole.
            let logger = self.callLogger(traceID: metadata.traceID, method: String(request.method.prefix(200)))
            self.refuse(request, with: error, receivedAt: receivedAt, logger: logger)
            return
        }
        let context = RPCContext(
            method: request.method,
            deadline: request.timeoutMicros == 0
                ? nil
                : receivedAt.advanced(
                    by: .microseconds(Int64(min(request.timeoutMicros, RPCServer.longestTimeoutMicros)))),
            metadata: metadata,
            peerIdentity: self.peerIdentity,
            untaggedLogger: self.logger
        )
        if let refusal = server.authorizationRefusal(of: handler, peerIdentity: self.peerIdentity) {
            let logger = context.logger
            logger.notice("Refused a call: the caller is not allowed to call the method")
            self.refuse(request, with: refusal, receivedAt: receivedAt, logger: logger)
            return
        }
        if (self.draining || self.drainSignal.isRequested) && handler.descriptor != RPCHealthService.check {
            let error = RPCError(.unavailable, "The server is shutting down", reason: "DRAINING")
            self.refuse(request, with: error, receivedAt: receivedAt, logger: context.logger)
            return
        }
        guard server.limiter.tryAcquire() else {
            let logger = context.logger
            logger.notice(
                "Refusing a call: the concurrency limit is reached", metadata: ["limit": "\(server.limiter.maximum)"])
            let error = RPCError(
                .resourceExhausted, "The server is at its concurrency limit", reason: "CONCURRENCY_LIMIT")
            self.refuse(request, with: error, receivedAt: receivedAt, logger: logger)
            return
        }

        let callID = request.callID
        self.activity.callStarted()
        let payload = request.payload
        let maximumFrameSize = server.configuration.maximumFrameSize
        let eventLoop = self.context!.eventLoop
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let outbox = self.outbox
        // The task's first job waits for this loop, so the call is registered before it runs.
        let task = Task(executorPreference: self.executor) {
            let outcome = await RPCCallExecution.runHandler(handler, payload: payload, context: context)
            let (frame, code) = RPCResponseFrame.make(
                outcome, callID: callID, maximumFrameSize: maximumFrameSize, logger: context.logger)
            if outbox.post(RPCServerOutbox.Completion(callID: callID, frame: frame, code: code)) {
                eventLoop.execute { loopBound.value.drainOutbox() }
            }
        }
        let deadline = context.deadline.map { RPCCallSetup.nioDeadline(for: $0, now: receivedAt) }
        self.calls[callID] = Call(
            task: task, deadline: deadline, method: request.method, receivedAt: receivedAt, context: context)
        if let deadline {
            self.timer?.watch(deadline)
        }
    }

    /// Answers a call no handler runs for.
    private func refuse(
        _ request: RPCFrame.Request, with error: RPCError, receivedAt: ContinuousClock.Instant, logger: Logger
    ) {
        let (frame, code) = RPCResponseFrame.make(
            .failure(error), callID: request.callID, maximumFrameSize: self.server.configuration.maximumFrameSize,
            logger: logger)
        self.record(frame: frame, code: code, method: request.method, receivedAt: receivedAt) { logger }
        self.write(frame)
    }

    /// A handler returned: answers its caller unless the call was settled meanwhile, and frees it.
    private func finish(_ completion: RPCServerOutbox.Completion) {
        guard let call = self.calls.removeValue(forKey: completion.callID) else { return }
        if !call.settled {
            self.answer(
                frame: completion.frame, code: completion.code, method: call.method, receivedAt: call.receivedAt,
                context: call.context)
        }
        // After the answer was handed to the channel: a draining connection closes after it.
        self.server.limiter.release()
        self.activity.callFinished()
        self.closeIfDrained()
        self.finishIfClosed()
    }

    /// Writes what finished off the loop since the last drain, with one flush.
    private func drainOutbox() {
        for completion in self.outbox.take() {
            self.finish(completion)
        }
        self.flushIfNeeded()
    }

    /// Answers DEADLINE_EXCEEDED to every call whose deadline passed before its handler returned
    /// and cancels those handlers, then watches the earliest deadline left.
    private func expireDueCalls() {
        let now = NIODeadline.now()
        var due: [UInt64] = []
        var earliest: NIODeadline?
        for (callID, call) in self.calls {
            guard let deadline = call.deadline else { continue }
            if deadline <= now {
                due.append(callID)
            } else {
                earliest = min(earliest ?? deadline, deadline)
            }
        }
        for callID in due {
            self.expire(callID)
        }
        self.flushIfNeeded()
        if let earliest {
            self.timer?.watch(earliest)
        }
    }

    /// The deadline passed before the handler returned: DEADLINE_EXCEEDED now, the handler cancelled.
    private func expire(_ callID: UInt64) {
        guard var call = self.calls[callID], !call.settled else { return }
        call.settled = true
        call.deadline = nil
        self.calls[callID] = call
        let error = RPCError(.deadlineExceeded, "The deadline passed before the call completed")
        let (frame, code) = RPCResponseFrame.make(
            .failure(error), callID: callID, maximumFrameSize: self.server.configuration.maximumFrameSize,
            logger: self.logger)
        self.answer(frame: frame, code: code, method: call.method, receivedAt: call.receivedAt, context: call.context)
        call.task.cancel()
    }

    /// The client sent CANCEL: nothing is answered, the handler is cancelled. A CANCEL for a call
    /// that already finished is normal and ignored.
    private func cancel(_ callID: UInt64) {
        guard var call = self.calls[callID], !call.settled else { return }
        call.settled = true
        call.deadline = nil
        self.calls[callID] = call
        self.server.metrics.recordCall(
            method: call.method, code: .cancelled, duration: call.receivedAt.duration(to: .now))
        if self.logger.logLevel <= .debug {
            call.context.logger.debug("The client cancelled the call")
        }
        call.task.cancel()
    }

    /// Records a call's outcome and writes its frame (flushed later, once per batch).
    private func answer(
        frame: ByteBuffer?, code: RPCStatusCode, method: String, receivedAt: ContinuousClock.Instant,
        context: RPCContext
    ) {
        self.record(frame: frame, code: code, method: method, receivedAt: receivedAt) { context.logger }
        self.write(frame)
    }

    /// Records a call's outcome in the metrics and the debug log (whose logger is built only when
    /// debug logging is on).
    private func record(
        frame: ByteBuffer?, code: RPCStatusCode, method: String, receivedAt: ContinuousClock.Instant,
        logger: () -> Logger
    ) {
        guard frame != nil else { return }
        let duration = receivedAt.duration(to: .now)
        self.server.metrics.recordCall(method: method, code: code, duration: duration)
        if self.logger.logLevel <= .debug {
            logger().debug("Call finished", metadata: ["rpc-code": "\(code)", "duration": "\(duration)"])
        }
    }

    /// Writes a response frame, unless the connection is going away (no one reads it then).
    private func write(_ frame: ByteBuffer?) {
        guard let frame, self.isOpen, let context = self.context else { return }
        context.write(Self.wrapOutboundOut(frame), promise: nil)
        self.needsFlush = true
    }

    /// The logger of a call that never got a context: tagged with its trace id and method.
    private func callLogger(traceID: String, method: String) -> Logger {
        var logger = self.logger
        logger[metadataKey: "trace-id"] = .string(traceID)
        logger[metadataKey: "rpc-method"] = .string(method)
        return logger
    }

    // MARK: - Connection state

    private func flushIfNeeded() {
        guard self.needsFlush else { return }
        self.needsFlush = false
        self.context?.flush()
    }

    private func closeIfDrained() {
        guard self.draining, self.calls.isEmpty, self.isOpen, let context = self.context else { return }
        self.flushIfNeeded()
        context.close(promise: nil)
    }

    private func breakConnection(_ error: RPCProtocolError) {
        if case .broken = self.admission { return }
        self.admission = .broken
        self.logger.warning("Closed a connection that broke the protocol", metadata: ["reason": "\(error)"])
        self.context?.close(promise: nil)
    }

    /// The connection is gone: every handler still running is cancelled (its outcome is recorded
    /// when it returns, and written nowhere).
    private func connectionClosed() {
        guard self.isOpen else { return }
        self.isOpen = false
        self.needsFlush = false
        if case .waiting = self.admission {
            self.admission = .broken
        }
        self.timer?.cancel()
        for call in self.calls.values {
            call.task.cancel()
        }
        self.finishIfClosed()
    }

    private func finishIfClosed() {
        if !self.isOpen && self.calls.isEmpty {
            self.finished.succeed()
        }
    }
}

@available(*, unavailable)
extension RPCServerHandler: Sendable {}
