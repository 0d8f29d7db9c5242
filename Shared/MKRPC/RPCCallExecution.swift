import Logging
import MKMessages
import NIOCore

/// Runs one handler the same way for the network server and the in-process caller: the deadline
/// and trace id bound in ``RPCTaskContext``, the handler raced against its deadline and an outside
/// cancellation, and every error mapped to a wire status.
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

    /// Runs `handler` and calls `respond` as soon as the outcome is known: when the deadline passes
    /// the caller is answered DEADLINE_EXCEEDED at once, while the handler (now cancelled) winds
    /// down. Returns, with the same outcome, only after the handler has returned, so whoever counts
    /// calls in flight counts work that is really still running.
    @discardableResult
    static func run(
        handler: RPCMethodHandler,
        payload: ByteBuffer,
        context: RPCContext,
        cancellation: RPCCallCancellation?,
        respond: @Sendable (Outcome) async -> Void
    ) async -> Outcome {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
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
            if let deadline = context.deadline {
                group.addTask {
                    do {
                        try await Task.sleep(until: deadline, clock: .continuous)
                        return .failure(RPCError(.deadlineExceeded, "The deadline passed before the call completed"))
                    } catch {
                        return nil
                    }
                }
            }
            if let cancellation {
                group.addTask {
                    await cancellation.waitForCancellation() ? .abandoned : nil
                }
            }
            var outcome = Outcome.abandoned
            while let next = await group.next() {
                if let next {
                    outcome = next
                    break
                }
            }
            // Whatever decided the outcome, the other racers (and the handler) are no longer needed.
            group.cancelAll()
            await respond(outcome)
            return outcome
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
