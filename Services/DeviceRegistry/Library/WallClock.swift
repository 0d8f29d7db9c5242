public import Foundation

/// The source of "now" for expiry and timestamps; tests inject a manual clock so expiry is tested
/// without sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}
