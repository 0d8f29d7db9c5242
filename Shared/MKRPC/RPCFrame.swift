/// One frame's content in the runtime's own terms; ``RPCEnvelopeCodec`` converts it to and from
/// the generated `mk.rpc.v1.Envelope`, so nothing else depends on the generated type.
enum RPCFrame: Sendable, Equatable {
    /// A call from client to server.
    case request(Request)
    /// The single answer to a call: the packed response on OK, the error otherwise.
    case response(callID: UInt64, result: Result<[UInt8], RPCError>)
    /// The client no longer waits for the call.
    case cancel(callID: UInt64)

    /// A call's request frame.
    struct Request: Sendable, Equatable {
        /// Never 0; unique among the client's calls in flight on the connection.
        var callID: UInt64
        /// The fully qualified method name.
        var method: String
        /// How long the client waits, counted from when it sent the frame; 0 means no deadline.
        var timeoutMicros: UInt64
        /// The request's metadata.
        var metadata: RPCMetadata
        /// The packed request message.
        var payload: [UInt8]
    }

    /// The call the frame belongs to.
    var callID: UInt64 {
        switch self {
        case .request(let request): request.callID
        case .response(let callID, _): callID
        case .cancel(let callID): callID
        }
    }
}
