public import Foundation

/// The source of "now" for timestamps, backoff and quota windows; tests inject a manual clock so
/// retries are tested without sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}
