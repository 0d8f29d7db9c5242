public import Foundation

/// The source of "now" for expiry, backoff, rate limits and timestamps; tests inject a manual
/// clock so time-dependent behaviour is tested without sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}
