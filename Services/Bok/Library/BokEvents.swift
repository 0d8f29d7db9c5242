internal import Foundation
internal import MKMessages
internal import MKServiceRuntime

/// Builds the events the BOK service publishes.
enum BokEvents {
    /// The producer name every BOK event carries.
    static let producer = "bok"

    /// A `BOK_OUTCOME` event about `subject` with a fresh id.
    static func outcome(
        _ result: Mk_Events_V1_BokResult,
        subject: String,
        requestID: UUID?,
        officeName: String,
        purpose: String,
        attemptsLeft: Int,
        deviceID: UUID?,
        at: Date
    ) -> Mk_Events_V1_Event {
        var event = Mk_Events_V1_Event()
        event.eventId = UUID.random().lowercaseText
        event.type = .bokOutcome
        event.subject = subject
        event.occurredAtUnixMicros = UnixMicros.from(at)
        event.producer = producer
        var outcome = Mk_Events_V1_BokOutcome()
        outcome.requestId = requestID?.lowercaseText ?? ""
        outcome.result = result
        outcome.officeName = officeName
        outcome.purpose = purpose
        outcome.attemptsLeft = UInt32(max(0, attemptsLeft))
        outcome.deviceId = deviceID?.lowercaseText ?? ""
        event.bokOutcome = outcome
        return event
    }
}
