public import MKMessages
public import MKRPC

/// A consumer the relay delivers to: its name (the key of its pending queue), a caller that
/// reaches its `EventSink`, and the event types it takes.
public struct OutboxSubscriber: Sendable {
    /// The subscriber's name: lower case letters, digits and '-', starting with a letter (`preferences`).
    public var name: String
    /// Reaches the subscriber's `mk.events.v1.EventSink` service.
    public var caller: any RPCCaller
    /// The event types queued for it; `nil` queues every type.
    public var eventTypes: Set<Mk_Events_V1_EventType>?

    /// Describes a subscriber.
    public init(name: String, caller: any RPCCaller, eventTypes: Set<Mk_Events_V1_EventType>? = nil) {
        self.name = name
        self.caller = caller
        self.eventTypes = eventTypes
    }
}
