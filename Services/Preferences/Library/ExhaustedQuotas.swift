internal import Foundation
internal import Synchronization

/// The authorities whose hourly quota this process has seen used up, each with its window.
///
/// A refusal proves the window's committed count had reached the quota (``PreferencesStore``'s
/// `checkQuota(used:authority:window:)`), and a window's count never falls, so every new
/// notification of the authority in that window will be refused too. Knowing it, the store
/// answers them without a transaction (``PreferencesStore/answerOverQuota(_:)``) instead of
/// counting each and rolling it back. An entry counts only in its own window; recording a later
/// window drops the earlier ones, so the map holds at most the authorities refused this hour.
final class ExhaustedQuotas: Sendable {
    private let windows = Mutex<[String: Date]>([:])

    /// Whether `authority`'s quota is known to be used up in `window`.
    func contains(_ authority: String, window: Date) -> Bool {
        windows.withLock { $0[authority] == window }
    }

    /// Records that `authority`'s quota is used up in `window`.
    func record(_ authority: String, window: Date) {
        windows.withLock { windows in
            windows = windows.filter { $0.value >= window }
            windows[authority] = max(windows[authority] ?? window, window)
        }
    }
}
