public import Foundation
public import MKServiceRuntime
internal import Synchronization

/// A clock the test moves by hand, so expiry, backoff and rate limits are tested without sleeping.
/// One instance may be shared by several services so their timestamps agree.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// Starts at `start` (a fixed instant by default, so tests are reproducible).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_760_000_000)) {
        current = Mutex(start)
    }

    /// The clock's current time.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds` (backward when negative).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
