internal import CCurl
internal import Foundation

/// E-mail over SMTP through libcurl (STARTTLS and authentication as configured).
///
/// An SMTP 5xx reply to the recipient or the message is permanent; anything else that fails
/// (no connection, timeout, 4xx) is retried. A refused login is retried too, whatever its reply
/// code: it says nothing about this message, and once the operator fixes the credentials every
/// waiting e-mail still goes out instead of having failed for good.
public struct SMTPTransport: DeliveryTransport {
    private let configuration: SMTPConfiguration

    /// Creates a transport.
    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Sends `message` as a UTF-8 plain-text e-mail to `message.recipient`.
    public func send(_ message: OutgoingMessage) async -> TransportOutcome {
        let mail = MailMessage(
            from: configuration.from, to: message.recipient, subject: message.title, body: message.body,
            messageID: message.deliveryID, date: Date())
        let request = CurlRequest(
            url: configuration.url, mailFrom: configuration.from, recipients: ["<\(message.recipient)>"],
            body: Array(mail.rendered.utf8), isHTTPPost: false, username: configuration.username,
            password: configuration.password, tls: configuration.requireTLS ? .required : .none,
            caFile: configuration.caFile, timeout: configuration.timeout,
            connectTimeout: min(configuration.timeout, .seconds(10)))
        let result: CurlResult
        do {
            result = try await Curl.perform(request)
        } catch {
            return .retry(reason: "the sending thread pool is not running")
        }
        if result.completed { return .sent }
        if result.code == Int(CURLE_LOGIN_DENIED.rawValue) {
            return .retry(reason: "the SMTP server refused the login (reply \(result.responseCode))")
        }
        if (500...599).contains(result.responseCode) {
            return .permanent(reason: "the SMTP server refused the message (reply \(result.responseCode))")
        }
        let reply = result.responseCode == 0 ? "no reply" : "reply \(result.responseCode)"
        return .retry(reason: "SMTP failed: \(result.codeText) (\(reply))")
    }
}
