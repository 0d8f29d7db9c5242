import Logging
import NIOCore

/// Multiplexes calls over one client connection: keeps call id → promise, completes each promise
/// from its response frame in whatever order responses arrive, fails a call whose deadline passes
/// (DEADLINE_EXCEEDED, and tells the server with CANCEL), and fails every call still waiting when
/// the connection goes away (UNAVAILABLE).
///
/// The last handler of the pipeline: callers write ``Command``s to the channel. Loop-confined.
final class RPCClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Command
    typealias OutboundOut = ByteBuffer

    /// What a caller asks of the connection.
    enum Command: Sendable {
        /// Start a call. The write promise succeeds once the handler owns the call (from then on
        /// it alone completes `response`); it fails when the connection was already gone.
        case call(Call)
        /// The caller stopped waiting (its task was cancelled): fail the call CANCELLED and send
        /// CANCEL.
        case cancel(callID: UInt64)
    }

    /// A call to start.
    struct Call: Sendable {
        /// The call's id, unique on the connection.
        var callID: UInt64
        /// The complete request frame.
        var frame: ByteBuffer
        /// When the caller stops waiting.
        var deadline: NIODeadline
        /// Completed with the packed response, or failed with ``RPCAttemptError``.
        var response: EventLoopPromise<[UInt8]>
    }

    private struct PendingCall {
        var response: EventLoopPromise<[UInt8]>
        var timeout: Scheduled<Void>
    }

    private let maximumFrameSize: Int
    private let activity: RPCConnectionActivity
    private let logger: Logger
    private var pending: [UInt64: PendingCall] = [:]
    private var isOpen = true

    init(maximumFrameSize: Int, activity: RPCConnectionActivity, logger: Logger) {
        self.maximumFrameSize = maximumFrameSize
        self.activity = activity
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .call(let call):
            guard self.isOpen, self.pending[call.callID] == nil else {
                promise?.fail(ChannelError.ioOnClosedChannel)
                return
            }
            let callID = call.callID
            let timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: call.deadline) {
                self.expire(callID, context: context)
            }
            self.pending[callID] = PendingCall(response: call.response, timeout: timeout)
            self.activity.callStarted()
            promise?.succeed()
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.assumeIsolated().whenFailure { error in
                self.complete(
                    callID,
                    with: .failure(
                        RPCAttemptError(
                            RPCError(.unavailable, "The request could not be sent: \(error)"),
                            requestMayHaveBeenSent: true
                        )
                    )
                )
            }
            context.write(Self.wrapOutboundOut(call.frame), promise: written)
        case .cancel(let callID):
            promise?.succeed()
            guard
                self.complete(
                    callID,
                    with: .failure(
                        RPCAttemptError(RPCError(.cancelled, "The call was cancelled"), requestMayHaveBeenSent: true))
                )
            else { return }
            self.sendCancel(callID, context: context)
        }
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
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is RPCProtocolError {
            self.logger.warning("Closing a connection whose server broke the framing", metadata: ["reason": "\(error)"])
        } else {
            self.logger.debug("Closing a connection after an error", metadata: ["error": "\(error)"])
        }
        context.close(promise: nil)
    }

    /// Completes the call if it still waits; returns whether it did.
    @discardableResult
    private func complete(_ callID: UInt64, with result: Result<[UInt8], RPCAttemptError>) -> Bool {
        guard let call = self.pending.removeValue(forKey: callID) else { return false }
        call.timeout.cancel()
        self.activity.callFinished()
        switch result {
        case .success(let payload): call.response.succeed(payload)
        case .failure(let error): call.response.fail(error)
        }
        return true
    }

    private func expire(_ callID: UInt64, context: ChannelHandlerContext) {
        let error = RPCError(.deadlineExceeded, "The deadline passed before the server answered")
        guard self.complete(callID, with: .failure(RPCAttemptError(error, requestMayHaveBeenSent: true))) else {
            return
        }
        self.sendCancel(callID, context: context)
    }

    private func sendCancel(_ callID: UInt64, context: ChannelHandlerContext) {
        guard self.isOpen else { return }
        do {
            let frame = try RPCEnvelopeCodec.encode(.cancel(callID: callID), maximumFrameSize: self.maximumFrameSize)
            context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
        } catch {
            self.logger.error("A cancel frame could not be encoded", metadata: ["error": "\(error)"])
        }
    }

    private func failAll(_ error: RPCError) {
        let calls = self.pending
        self.pending = [:]
        for (_, call) in calls {
            call.timeout.cancel()
            self.activity.callFinished()
            call.response.fail(RPCAttemptError(error, requestMayHaveBeenSent: true))
        }
    }
}

@available(*, unavailable)
extension RPCClientHandler: Sendable {}
