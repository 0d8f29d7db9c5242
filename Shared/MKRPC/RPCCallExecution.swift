import Logging
import MKMessages

/// Runs one handler the same way for the network server and the in-process caller: the deadline
/// and trace id bound in ``RPCTaskContext``, and every error mapped to a wire status. The server
/// races deadlines and cancellation on its event loop (``RPCServerHandler``); the in-process caller
/// races the deadline here (``run(handler:payload:context:)``).
enum RPCCallExecution {
    /// How a call ended.
    enum Outcome: Sendable {
        /// The handler returned this message.
        case response(any ProtoMessage)
        /// The call failed with this status.
        case failure(RPCError)
        /// The client cancelled the call; nothing is answered.
        case abandoned
    }

    /// Runs `handler` raced against the context's deadline: when the deadline passes the outcome is
    /// DEADLINE_EXCEEDED and the handler is cancelled. Returns only after the handler has returned,
    /// so whoever counts calls in flight counts work that is really still running.
    static func run(handler: RPCMethodHandler, payload: [UInt8], context: RPCContext) async -> Outcome {
        guard let deadline = context.deadline else {
            return await Self.runHandler(handler, payload: payload, context: context)
        }
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                await Self.runHandler(handler, payload: payload, context: context)
            }
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .failure(RPCError(.deadlineExceeded, "The deadline passed before the call completed"))
                } catch {
                    return nil
                }
            }
            var outcome = Outcome.abandoned
            while let next = await group.next() {
                if let next {
                    outcome = next
                    break
                }
            }
            // Whatever decided the outcome, the other racer (or the handler) is no longer needed.
            group.cancelAll()
            return outcome
        }
    }

    /// Runs `handler` in the current task with ``RPCTaskContext`` bound, every error mapped to a wire
    /// status; never ``Outcome/abandoned``. Races nothing: the caller decides deadlines and
    /// cancellation.
    static func runHandler(_ handler: RPCMethodHandler, payload: [UInt8], context: RPCContext) async -> Outcome {
        await RPCTaskContext.$deadline.withValue(context.deadline) {
            await RPCTaskContext.$traceID.withValue(context.metadata.traceID) {
                do {
                    return .response(try await handler.handle(payload, context))
                } catch {
                    return .failure(Self.wireError(for: error, logger: context.logger))
                }
            }
        }
    }

    /// The status a handler's error becomes on the wire. Anything not meant for the caller becomes
    /// INTERNAL with no detail; the detail goes to the log (whose metadata carries the trace id).
    static func wireError(for error: any Error, logger: Logger) -> RPCError {
        switch error {
        case let convertible as any RPCErrorConvertible:
            var wire = convertible.rpcError
            if wire.code == .ok {
                logger.error("A handler threw an error with status OK", metadata: ["error": "\(wire)"])
                wire.code = .unknown
            }
            return wire
        case is CancellationError:
            return RPCError(.cancelled, "The call was cancelled")
        default:
            logger.error(
                "The handler failed with an unexpected error",
                metadata: ["error": "\(String(reflecting: error))"]
            )
            return RPCError(.internal, "internal error")
        }
    }
}
