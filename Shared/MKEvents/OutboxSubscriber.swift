public import MKRPC

/// A consumer the relay delivers to: its name (the key of its pending queue) and a caller that
/// reaches its `EventSink`.
public struct OutboxSubscriber: Sendable {
    /// The subscriber's name: lower case letters, digits and '-', starting with a letter (`preferences`).
    public var name: String
    /// Reaches the subscriber's `mk.events.v1.EventSink` service.
    public var caller: any RPCCaller

    /// Describes a subscriber.
    public init(name: String, caller: any RPCCaller) {
        self.name = name
        self.caller = caller
    }
}
