import Logging
import NIOCore

/// Multiplexes calls over one client connection: keeps call id → promise, completes each promise
/// from its response frame in whatever order responses arrive, fails a call whose deadline passes
/// (DEADLINE_EXCEEDED, and tells the server with CANCEL), and fails every call still waiting when
/// the connection goes away (UNAVAILABLE).
///
/// The last handler of the pipeline. Callers reach it through ``RPCClientConnection``, which hands
/// it their ``Command``s in batches (``run(_:)``): the requests of one batch leave with one flush.
/// One timer per connection watches the earliest deadline of the calls waiting
/// (``RPCDeadlineTimer``). Loop-confined.
final class RPCClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What a caller asks of the connection.
    enum Command: Sendable {
        /// Start a call. From then on the handler alone completes its `response`; when the
        /// connection is already gone it fails UNAVAILABLE, the request never sent.
        case call(Call)
        /// The caller stopped waiting (its task was cancelled): fail the call CANCELLED and send
        /// CANCEL.
        case cancel(callID: UInt64)
    }

    /// The caller waiting for a call's answer, resumed exactly once by the handler: with the packed
    /// response, or with ``RPCAttemptError``. A continuation rather than a promise: no future, no
    /// callback list and no hop through them per call.
    typealias ResponseWaiter = UnsafeContinuation<[UInt8], any Error>

    /// A call to start.
    struct Call: Sendable {
        /// The call's id, unique on the connection.
        var callID: UInt64
        /// The complete request frame.
        var frame: ByteBuffer
        /// When the caller stops waiting.
        var deadline: NIODeadline
        /// Resumed with the packed response, or with ``RPCAttemptError``.
        var response: ResponseWaiter
    }

    private struct PendingCall {
        var response: ResponseWaiter
        var deadline: NIODeadline
    }

    private let maximumFrameSize: Int
    private let activity: RPCConnectionActivity
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var pending: [UInt64: PendingCall] = [:]
    private var isOpen = true
    /// Fires at the earliest deadline of the calls waiting; made once the loop is known.
    private var timer: RPCDeadlineTimer?

    init(maximumFrameSize: Int, activity: RPCConnectionActivity, logger: Logger) {
        self.maximumFrameSize = maximumFrameSize
        self.activity = activity
        self.logger = logger
    }

    /// Carries out `commands` in order, then flushes once.
    func run(_ commands: [Command]) {
        var wrote = false
        for command in commands {
            switch command {
            case .call(let call):
                wrote = self.start(call) || wrote
            case .cancel(let callID):
                wrote = self.cancel(callID) || wrote
            }
        }
        if wrote {
            self.context?.flush()
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.timer = RPCDeadlineTimer(eventLoop: context.eventLoop) { [weak self] in self?.expireDueCalls() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let body = Self.unwrapInboundIn(data)
        do {
            switch try RPCEnvelopeCodec.decode(body) {
            case .response(let callID, let result):
                let outcome = result.mapError { RPCAttemptError($0, requestMayHaveBeenSent: true) }
                if !self.complete(callID, with: outcome) {
                    // The call timed out or was cancelled while its answer travelled.
                    self.logger.trace(
                        "A response for a call no longer waited for", metadata: ["rpc-call-id": "\(callID)"])
                }
            case .request, .cancel:
                throw RPCProtocolError("the server sent a request or cancel frame")
            }
        } catch {
            self.logger.warning(
                "Closing a connection whose server broke the protocol", metadata: ["reason": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isOpen = false
        self.failAll(RPCError(.unavailable, "The connection to the server was lost"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.isOpen = false
        self.failAll(RPCError(.unavailable, "The connection to the server was closed"))
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is RPCProtocolError {
            self.logger.warning("Closing a connection whose server broke the framing", metadata: ["reason": "\(error)"])
        } else {
            self.logger.debug("Closing a connection after an error", metadata: ["error": "\(error)"])
        }
        context.close(promise: nil)
    }

    /// Registers and writes (without flushing) a call; returns whether it wrote.
    private func start(_ call: Call) -> Bool {
        guard self.isOpen, let context = self.context, self.pending[call.callID] == nil else {
            call.response.resume(
                throwing: RPCAttemptError(
                    RPCError(.unavailable, "The connection closed before the request was sent"),
                    requestMayHaveBeenSent: false
                )
            )
            return false
        }
        let callID = call.callID
        self.pending[callID] = PendingCall(response: call.response, deadline: call.deadline)
        self.activity.callStarted()
        self.timer?.watch(call.deadline)
        // A write that fails closes the channel, which fails the call UNAVAILABLE (sent, maybe).
        context.write(Self.wrapOutboundOut(call.frame), promise: nil)
        return true
    }

    /// Fails a call CANCELLED and tells the server; returns whether it wrote.
    private func cancel(_ callID: UInt64) -> Bool {
        let error = RPCAttemptError(RPCError(.cancelled, "The call was cancelled"), requestMayHaveBeenSent: true)
        guard self.complete(callID, with: .failure(error)) else { return false }
        return self.writeCancel(callID)
    }

    /// Completes the call if it still waits; returns whether it did.
    @discardableResult
    private func complete(_ callID: UInt64, with result: Result<[UInt8], RPCAttemptError>) -> Bool {
        guard let call = self.pending.removeValue(forKey: callID) else { return false }
        self.activity.callFinished()
        switch result {
        case .success(let payload): call.response.resume(returning: payload)
        case .failure(let error): call.response.resume(throwing: error)
        }
        return true
    }

    /// Fails every call whose deadline has passed (DEADLINE_EXCEEDED, and CANCEL to the server),
    /// then watches the earliest deadline left.
    private func expireDueCalls() {
        let now = NIODeadline.now()
        let due = self.pending.filter { $0.value.deadline <= now }.keys
        var wrote = false
        for callID in due {
            let error = RPCError(.deadlineExceeded, "The deadline passed before the server answered")
            if self.complete(callID, with: .failure(RPCAttemptError(error, requestMayHaveBeenSent: true))) {
                wrote = self.writeCancel(callID) || wrote
            }
        }
        if wrote {
            self.context?.flush()
        }
        if let earliest = self.pending.values.map(\.deadline).min() {
            self.timer?.watch(earliest)
        }
    }

    /// Writes (without flushing) a CANCEL frame; returns whether it wrote.
    private func writeCancel(_ callID: UInt64) -> Bool {
        guard self.isOpen, let context = self.context else { return false }
        do {
            let frame = try RPCEnvelopeCodec.encode(.cancel(callID: callID), maximumFrameSize: self.maximumFrameSize)
            context.write(Self.wrapOutboundOut(frame), promise: nil)
            return true
        } catch {
            self.logger.error("A cancel frame could not be encoded", metadata: ["error": "\(error)"])
            return false
        }
    }

    private func failAll(_ error: RPCError) {
        self.timer?.cancel()
        let calls = self.pending
        self.pending = [:]
        for (_, call) in calls {
            self.activity.callFinished()
            call.response.resume(throwing: RPCAttemptError(error, requestMayHaveBeenSent: true))
        }
    }
}

@available(*, unavailable)
extension RPCClientHandler: Sendable {}
