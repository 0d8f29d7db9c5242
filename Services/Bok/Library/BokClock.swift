public import Foundation

/// The source of "now" for expiry, rate limits and timestamps; tests inject a manual clock so
/// expiry is tested without sleeping.
public protocol BokClock: Sendable {
    /// The current time.
    func now() -> Date
}
