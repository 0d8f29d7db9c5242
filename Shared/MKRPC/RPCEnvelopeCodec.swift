import MKMessages
import NIOCore

/// Converts between ``RPCFrame`` and the packed `mk.rpc.v1.Envelope` inside a length-prefixed
/// frame. The only place the runtime touches the generated envelope types (the built-in health
/// service is the other user of generated code).
enum RPCEnvelopeCodec {
    /// Decodes a frame body (without its length prefix).
    ///
    /// Throws ``RPCProtocolError`` for what closes the connection: bytes that are not an envelope,
    /// an unspecified or unknown kind, call id 0, or a response without a status.
    static func decode(_ body: ByteBuffer) throws(RPCProtocolError) -> RPCFrame {
        let envelope: Mk_Rpc_V1_Envelope
        do {
            envelope = try body.withUnsafeReadableBytes { raw throws(ProtoError) in
                try Mk_Rpc_V1_Envelope(serializedBytes: raw)
            }
        } catch {
            throw RPCProtocolError("undecodable envelope: \(error)")
        }
        guard envelope.callId != 0 else {
            throw RPCProtocolError("call id 0")
        }
        switch envelope.kind {
        case .request:
            let metadata = envelope.metadata.map {
                RPCMetadata(traceID: $0.traceId, caller: $0.caller, idempotencyKey: $0.idempotencyKey)
            }
            return .request(
                RPCFrame.Request(
                    callID: envelope.callId,
                    method: envelope.method,
                    timeoutMicros: envelope.timeoutMicros,
                    metadata: metadata ?? RPCMetadata(),
                    payload: envelope.payload
                )
            )
        case .response:
            guard let status = envelope.status else {
                throw RPCProtocolError("response without status")
            }
            let code = RPCStatusCode(rawValue: status.code)
            if code == .ok {
                return .response(callID: envelope.callId, result: .success(envelope.payload))
            }
            return .response(
                callID: envelope.callId,
                result: .failure(RPCError(code, status.message, reason: status.reason))
            )
        case .cancel:
            return .cancel(callID: envelope.callId)
        default:
            throw RPCProtocolError("frame kind \(envelope.kind) is not a request, response or cancel")
        }
    }

    /// Packs `frame` behind its length prefix, ready to write.
    ///
    /// Throws ``RPCError``: RESOURCE_EXHAUSTED when the envelope exceeds `maximumFrameSize`,
    /// INVALID_ARGUMENT when a string cannot be packed (invalid UTF-8 or an interior NUL).
    static func encode(
        _ frame: RPCFrame,
        maximumFrameSize: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(RPCError) -> ByteBuffer {
        if case .request(let request) = frame, request.payload.count > maximumFrameSize {
            // Certain to be too large: do not build the envelope at all.
            throw Self.tooLarge(size: request.payload.count, maximumFrameSize: maximumFrameSize)
        }
        let bytes: [UInt8]
        do {
            bytes = try Self.envelope(for: frame).serializedBytes()
        } catch {
            throw RPCError(.invalidArgument, "The message cannot be encoded: \(error)")
        }
        guard bytes.count <= maximumFrameSize else {
            throw Self.tooLarge(size: bytes.count, maximumFrameSize: maximumFrameSize)
        }
        var buffer = allocator.buffer(capacity: RPCFrameDecoder.headerSize + bytes.count)
        buffer.writeInteger(UInt32(bytes.count), endianness: .big)
        buffer.writeBytes(bytes)
        return buffer
    }

    private static func tooLarge(size: Int, maximumFrameSize: Int) -> RPCError {
        RPCError(
            .resourceExhausted,
            "The message needs a frame of at least \(size) bytes; the maximum is \(maximumFrameSize)",
            reason: "FRAME_TOO_LARGE"
        )
    }

    private static func envelope(for frame: RPCFrame) -> Mk_Rpc_V1_Envelope {
        var envelope = Mk_Rpc_V1_Envelope()
        envelope.callId = frame.callID
        switch frame {
        case .request(let request):
            envelope.kind = .request
            envelope.method = request.method
            envelope.timeoutMicros = request.timeoutMicros
            let metadata = request.metadata
            if metadata != RPCMetadata() {
                envelope.metadata = Mk_Rpc_V1_Metadata(
                    traceId: metadata.traceID,
                    caller: metadata.caller,
                    idempotencyKey: metadata.idempotencyKey
                )
            }
            envelope.payload = request.payload
        case .response(_, let result):
            envelope.kind = .response
            switch result {
            case .success(let payload):
                envelope.status = Mk_Rpc_V1_Status(code: RPCStatusCode.ok.rawValue, message: "", reason: "")
                envelope.payload = payload
            case .failure(let error):
                envelope.status = Mk_Rpc_V1_Status(
                    code: error.code.rawValue,
                    message: error.message,
                    reason: error.reason
                )
            }
        case .cancel:
            envelope.kind = .cancel
        }
        return envelope
    }
}
