/// A peer broke the framing or envelope rules. The connection it arrived on is closed; nothing is
/// answered, because a peer that sends malformed frames cannot be trusted to parse an answer.
struct RPCProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why the connection is closed; never contains peer data beyond numbers.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
