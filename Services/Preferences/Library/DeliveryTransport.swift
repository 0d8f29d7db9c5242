/// Hands one message to the world: an SMTP server, an SMS provider. Implementations never log the
/// address or the text.
public protocol DeliveryTransport: Sendable {
    /// Sends `message`; never throws — every failure is an outcome the worker records.
    func send(_ message: OutgoingMessage) async -> TransportOutcome
}
