import MKMessages
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import MKRPC

@Suite("Framing")
struct FramingTests {
    private func frame(_ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.count), endianness: .big)
        buffer.writeBytes(body)
        return buffer
    }

    @Test func decoderPassesTheVerifier() throws {
        let bodies: [[UInt8]] = [[1], [1, 2, 3], Array(repeating: 7, count: 300), Array(0...255)]
        var all = ByteBuffer()
        for body in bodies { all.writeImmutableBuffer(self.frame(body)) }
        let pairs: [(ByteBuffer, [ByteBuffer])] =
            bodies.map { (self.frame($0), [ByteBuffer(bytes: $0)]) }
            + [(all, bodies.map { ByteBuffer(bytes: $0) })]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            RPCFrameDecoder(maximumFrameSize: 1_024)
        }
    }

    @Test(arguments: [UInt32(0), UInt32(1_025), UInt32.max])
    func invalidLengthIsRejectedFromTheHeaderAlone(length: UInt32) throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RPCFrameDecoder(maximumFrameSize: 1_024)))
        var header = ByteBuffer()
        header.writeInteger(length, endianness: .big)
        // Only the four header bytes: the decoder must refuse without waiting for a body.
        #expect(throws: RPCProtocolError.self) { try channel.writeInbound(header) }
        _ = try? channel.finish()
    }

    @Test func lengthAtTheMaximumIsAccepted() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RPCFrameDecoder(maximumFrameSize: 1_024)))
        try channel.writeInbound(self.frame(Array(repeating: 9, count: 1_024)))
        let body = try channel.readInbound(as: ByteBuffer.self)
        #expect(body?.readableBytes == 1_024)
        _ = try channel.finish()
    }

    @Test func partialFrameReportsProgress() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RPCFrameDecoder(maximumFrameSize: 1_024)))
        let recorder = EventCounterHandler()
        try channel.pipeline.syncOperations.addHandler(recorder)
        let whole = self.frame([1, 2, 3, 4])
        try channel.writeInbound(whole.getSlice(at: 0, length: 5)!)
        #expect(recorder.userInboundEventTriggeredCalls == 1)
        try channel.writeInbound(whole.getSlice(at: 5, length: 3)!)
        #expect(recorder.userInboundEventTriggeredCalls == 2)
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [1, 2, 3, 4]))
        _ = try channel.finish()
    }

    @Test func requestRoundTrips() throws {
        let request = RPCFrame.request(
            RPCFrame.Request(
                callID: 42,
                method: "mk.registry.v1.DeviceRegistry/ListDevices",
                timeoutMicros: 1_500_000,
                metadata: RPCMetadata(
                    traceID: "0af7651916cd43dd8448eb211c80319c", caller: "gateway", idempotencyKey: "k1"),
                payload: [1, 2, 3]
            )
        )
        var buffer = try RPCEnvelopeCodec.encode(request, maximumFrameSize: 65_536)
        let body = try #require(try RPCFrameDecoder.readFrame(from: &buffer, maximumFrameSize: 65_536))
        #expect(try RPCEnvelopeCodec.decode(body) == request)
        #expect(buffer.readableBytes == 0)
    }

    @Test func responsesRoundTrip() throws {
        let frames: [RPCFrame] = [
            .response(callID: 7, result: .success([9, 8])),
            .response(callID: 7, result: .success([])),
            .response(callID: 8, result: .failure(RPCError(.failedPrecondition, "Last key", reason: "LAST_MEANS"))),
            .cancel(callID: 9),
        ]
        for frame in frames {
            var buffer = try RPCEnvelopeCodec.encode(frame, maximumFrameSize: 65_536)
            let body = try #require(try RPCFrameDecoder.readFrame(from: &buffer, maximumFrameSize: 65_536))
            #expect(try RPCEnvelopeCodec.decode(body) == frame)
        }
    }

    @Test func protocolViolationsAreRejected() throws {
        let invalid: [Mk_Rpc_V1_Envelope] = [
            Mk_Rpc_V1_Envelope(kind: .request, callId: 0, method: "a/b"),
            Mk_Rpc_V1_Envelope(kind: .unspecified, callId: 1),
            Mk_Rpc_V1_Envelope(kind: .unrecognized(9), callId: 1),
            Mk_Rpc_V1_Envelope(kind: .response, callId: 1),
        ]
        for envelope in invalid {
            let body = ByteBuffer(bytes: try envelope.serializedBytes())
            #expect(throws: RPCProtocolError.self) { try RPCEnvelopeCodec.decode(body) }
        }
        #expect(throws: RPCProtocolError.self) { try RPCEnvelopeCodec.decode(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF])) }
    }

    @Test func oversizedFramesAreNotEncoded() throws {
        let request = RPCFrame.request(
            RPCFrame.Request(
                callID: 1, method: "a/b", timeoutMicros: 0, metadata: RPCMetadata(),
                payload: Array(repeating: 1, count: 100))
        )
        let error = #expect(throws: RPCError.self) { try RPCEnvelopeCodec.encode(request, maximumFrameSize: 64) }
        #expect(error?.code == .resourceExhausted)
    }
}
