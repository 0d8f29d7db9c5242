internal import Foundation
internal import MKServiceRuntime

/// SMS through an HTTP provider: `POST {"to": "+420…", "text": "…", "reference": "<delivery id>"}`
/// with `Authorization: Bearer …` and `Idempotency-Key: <delivery id>`.
///
/// 2xx is sent; 5xx, 408, 429, timeouts and connection failures are retried; any other 4xx means
/// the provider will never take this message, so it fails with the status (and the provider's
/// short explanation with digits masked) as the reason.
public struct SMSTransport: DeliveryTransport {
    private let configuration: SMSConfiguration

    /// Creates a transport.
    public init(configuration: SMSConfiguration) {
        self.configuration = configuration
    }

    /// Posts `message.smsText` to `message.recipient`.
    public func send(_ message: OutgoingMessage) async -> TransportOutcome {
        let reference = message.deliveryID.lowercaseText
        let payload: [String: String] = ["to": message.recipient, "text": message.smsText, "reference": reference]
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else {
            return .permanent(reason: "the SMS could not be encoded")
        }
        let request = CurlRequest(
            url: configuration.url,
            headers: [
                "Content-Type: application/json", "Authorization: Bearer \(configuration.token)",
                "Idempotency-Key: \(reference)", "Expect:",
            ],
            body: Array(body), isHTTPPost: true, tls: .none, timeout: configuration.timeout,
            connectTimeout: min(configuration.timeout, .seconds(10)))
        let result: CurlResult
        do {
            result = try await Curl.perform(request)
        } catch {
            return .retry(reason: "the sending thread pool is not running")
        }
        guard result.completed else {
            return .retry(reason: "SMS provider unreachable: \(result.codeText)")
        }
        switch result.responseCode {
        case 200...299:
            return .sent
        case 408, 429, 500...599:
            return .retry(reason: "SMS provider answered HTTP \(result.responseCode)")
        case 400...499:
            return .permanent(reason: "SMS provider refused the message: HTTP \(result.responseCode)\(Self.explanation(result.body))")
        default:
            return .retry(reason: "SMS provider answered HTTP \(result.responseCode)")
        }
    }

    /// The provider's explanation, shortened, single-line, with every digit masked so a phone
    /// number it may quote never reaches the database.
    static func explanation(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        let cleaned = String(
            text.unicodeScalars.map { scalar -> Character in
                if scalar.properties.numericType != nil { return "#" }
                if scalar.properties.generalCategory == .control { return " " }
                return Character(scalar)
            }
        ).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "" : " (\(cleaned.prefix(120)))"
    }
}
