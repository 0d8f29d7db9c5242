/// What a transport made of one attempt.
public enum TransportOutcome: Sendable, Equatable {
    /// The transport accepted the message.
    case sent
    /// A temporary failure (server down, timeout, 5xx, SMTP 4xx): try again later.
    case retry(reason: String)
    /// A refusal that will not change (SMTP 5xx, HTTP 4xx): give up and record why.
    case permanent(reason: String)
}
