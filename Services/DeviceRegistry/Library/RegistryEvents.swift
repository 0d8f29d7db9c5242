internal import Foundation
internal import MKMessages
internal import MKServiceRuntime

/// Builds the events the registry publishes.
enum RegistryEvents {
    /// The producer name every registry event carries.
    static let producer = "device-registry"

    /// An event of `type` about `subject`, with a fresh id; the caller sets the payload field.
    static func event(_ type: Mk_Events_V1_EventType, subject: String, at: Date) -> Mk_Events_V1_Event {
        var event = Mk_Events_V1_Event()
        event.eventId = UUID.random().lowercaseText
        event.type = type
        event.subject = subject
        event.occurredAtUnixMicros = UnixMicros.from(at)
        event.producer = producer
        return event
    }
}
