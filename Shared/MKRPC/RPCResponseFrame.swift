import Logging
import MKMessages
import NIOCore

/// Packs a call's outcome into the response frame the server writes, falling back to an error
/// frame when the response cannot be sent (it cannot be encoded, or exceeds the frame limit).
enum RPCResponseFrame {
    /// The frame answering `callID` with `outcome` (a response or a failure; an abandoned call is
    /// never answered), and the status it carries. The frame is `nil` only when not even the
    /// fallback error could be encoded. `logger` is only built when something goes wrong.
    static func make(
        _ outcome: RPCCallExecution.Outcome,
        callID: UInt64,
        maximumFrameSize: Int,
        logger: @autoclosure () -> Logger
    ) -> (frame: ByteBuffer?, code: RPCStatusCode) {
        let result: Result<[UInt8], RPCError>
        switch outcome {
        case .response(let message):
            do {
                result = .success(try message.serializedBytes())
            } catch {
                logger().error("The handler's response cannot be encoded", metadata: ["error": "\(error)"])
                result = .failure(RPCError(.internal, "internal error"))
            }
        case .failure(let error):
            result = .failure(error)
        case .abandoned:
            result = .failure(RPCError(.cancelled, "The call was cancelled"))
        }
        var code = RPCStatusCode.ok
        if case .failure(let error) = result { code = error.code }
        do throws(RPCError) {
            let frame = try RPCEnvelopeCodec.encode(
                .response(callID: callID, result: result), maximumFrameSize: maximumFrameSize)
            return (frame, code)
        } catch {
            logger().error("The response cannot be sent", metadata: ["error": "\(error)"])
            let fallback =
                error.code == .resourceExhausted
                ? RPCError(.resourceExhausted, "The response exceeds the maximum frame size", reason: "FRAME_TOO_LARGE")
                : RPCError(.internal, "internal error")
            let frame = try? RPCEnvelopeCodec.encode(
                .response(callID: callID, result: .failure(fallback)), maximumFrameSize: maximumFrameSize)
            return (frame, fallback.code)
        }
    }
}
