import NIOCore

/// Splits a connection's byte stream into frame bodies: a 4-byte unsigned big-endian length N,
/// then N bytes of a packed `mk.rpc.v1.Envelope`.
///
/// The length is checked as soon as its four bytes are here, before anything is kept for the body:
/// zero or more than the maximum throws ``RPCProtocolError`` (the pipeline then closes the
/// connection). Nothing reserves capacity for a length: `ByteToMessageHandler` only accumulates the
/// bytes the peer actually sent, and at most `4 + maximumFrameSize` of them belong to one frame.
///
/// It also reports, as user inbound events, when a frame has started without completing and when
/// it completed, so ``RPCConnectionTimeoutHandler`` can close connections that drip frames.
struct RPCFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Fired through the pipeline when a frame spans reads.
    enum Progress: Sendable, Hashable {
        /// Bytes of a frame arrived but the frame is not complete yet.
        case frameStarted
        /// The frame that had started is complete.
        case frameCompleted
    }

    /// The length prefix.
    static let headerSize = 4
    /// The largest frame length anyone may configure: the prefix is 32 bits.
    static let largestMaximumFrameSize = Int(UInt32.max)

    /// The largest body accepted.
    let maximumFrameSize: Int
    private var frameInProgress = false

    /// Creates a decoder; `maximumFrameSize` must be between 1 and 2^32 − 1 (configuration, not
    /// peer input, so it is a precondition).
    init(maximumFrameSize: Int) {
        precondition(
            maximumFrameSize > 0 && maximumFrameSize <= Self.largestMaximumFrameSize,
            "maximumFrameSize must be in 1...\(UInt32.max)"
        )
        self.maximumFrameSize = maximumFrameSize
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let body = try Self.readFrame(from: &buffer, maximumFrameSize: self.maximumFrameSize) {
            if self.frameInProgress {
                self.frameInProgress = false
                context.fireUserInboundEventTriggered(Progress.frameCompleted)
            }
            context.fireChannelRead(Self.wrapInboundOut(body))
            return .continue
        }
        if buffer.readableBytes > 0 && !self.frameInProgress {
            self.frameInProgress = true
            context.fireUserInboundEventTriggered(Progress.frameStarted)
        }
        return .needMoreData
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // Complete frames that arrived before the end are still delivered; a partial frame left at
        // the end is dropped (ByteToMessageHandler reports it as leftover data).
        try self.decode(context: context, buffer: &buffer)
    }

    /// Reads one frame body if a whole frame is buffered; throws as soon as the length is invalid.
    static func readFrame(from buffer: inout ByteBuffer, maximumFrameSize: Int) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard length > 0 else {
            throw RPCProtocolError("frame length 0")
        }
        guard UInt64(length) <= UInt64(maximumFrameSize) else {
            throw RPCProtocolError("frame length \(length) exceeds the maximum of \(maximumFrameSize)")
        }
        let frameSize = Self.headerSize + Int(length)
        guard buffer.readableBytes >= frameSize else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: Self.headerSize)
        return buffer.readSlice(length: Int(length))
    }
}
