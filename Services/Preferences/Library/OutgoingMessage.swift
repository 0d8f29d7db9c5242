public import Foundation

/// One delivery as a transport sees it.
public struct OutgoingMessage: Sendable {
    /// The delivery's id: the e-mail's Message-ID and the SMS provider's idempotency key, so a
    /// resend after a crash can be recognised downstream.
    public var deliveryID: UUID
    /// The recipient: an e-mail address in ASCII form, or a phone number in E.164.
    public var recipient: String
    /// The e-mail subject (Czech).
    public var title: String
    /// The e-mail body, plain text (Czech).
    public var body: String
    /// The SMS text (Czech, short).
    public var smsText: String

    /// Creates a message.
    public init(deliveryID: UUID, recipient: String, title: String, body: String, smsText: String) {
        self.deliveryID = deliveryID
        self.recipient = recipient
        self.title = title
        self.body = body
        self.smsText = smsText
    }
}
