import Bok
import DeviceRegistry
import Foundation
import Preferences
import Synchronization

/// One clock the test moves by hand, shared by the BOK service and the real registry and
/// Preferences services, so expiry is tested without sleeping and signatures stay in time.
final class ManualClock: Bok.BokClock, DeviceRegistry.WallClock, Preferences.WallClock {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_760_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
