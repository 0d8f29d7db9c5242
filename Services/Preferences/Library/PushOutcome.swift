/// What the push provider made of one wake-up.
public enum PushOutcome: Sendable, Equatable {
    /// The provider accepted the wake-up (2xx).
    case sent
    /// A temporary failure (no connection, timeout, 5xx, 408, 429): try again later.
    case retry(reason: String)
    /// A refusal that will not change for this wake-up (other 4xx, e.g. our credential refused).
    case failed(reason: String)
    /// The provider says the push token is invalid or no longer registered: the wake-up fails
    /// and the key's token is forgotten, so nothing is pushed to it again until the app registers
    /// a new one.
    case tokenInvalid(reason: String)
}
