public import Foundation
internal import Logging
internal import Synchronization

/// The push provider's bearer credential. Read from `PUSH_CREDENTIAL_FILE` at start and read
/// again when it is asked for and the last read is `recheckInterval` old, so a rotated credential
/// is used without a restart (an APNs provider token is valid for one hour: a sidecar or a
/// Kubernetes secret rewrites the file). A file that no longer holds a valid credential is
/// refused with a warning that never quotes it, and the last valid credential stays in use.
public final class PushCredential: Sendable {
    private struct State {
        var value: String
        var readAt: ContinuousClock.Instant
    }

    private let file: String?
    private let recheckInterval: Duration
    private let state: Mutex<State>

    /// A credential that never changes (tests, or a provider configured without a file).
    public init(fixed value: String) {
        file = nil
        recheckInterval = .zero
        state = Mutex(State(value: value, readAt: .now))
    }

    /// The credential in `file`, re-read at most every `recheckInterval`; `nil` when the file cannot
    /// be read or holds no valid credential now.
    public init?(file: String, recheckInterval: Duration = .seconds(10)) {
        guard let value = Self.read(file) else { return nil }
        self.file = file
        self.recheckInterval = recheckInterval
        state = Mutex(State(value: value, readAt: .now))
    }

    /// The credential to send now. When a re-read is due, the one caller that claims it reads the
    /// file outside the lock, so concurrent pushes never wait for file I/O.
    public func current() -> String {
        let now = ContinuousClock.now
        let (value, due) = state.withLock { state in
            guard file != nil, now - state.readAt >= recheckInterval else { return (state.value, false) }
            state.readAt = now
            return (state.value, true)
        }
        guard due, let file else { return value }
        guard let fresh = Self.read(file) else {
            // Made here, not at start: the settings are read before logging is set up.
            Logger(label: "mk.preferences.push").warning(
                "The push credential file no longer holds a valid credential; the last valid one stays in use",
                metadata: ["file": "\(file)"])
            return value
        }
        state.withLock { $0.value = fresh }
        return fresh
    }

    /// The credential `file` holds: one line of 1 to 8192 printable ASCII characters without
    /// spaces (surrounding whitespace ignored); `nil` when it cannot be read or holds anything else.
    static func read(_ file: String) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let credential = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !credential.isEmpty, credential.utf8.count <= 8192,
            credential.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return credential
    }
}
