public import Foundation

/// Hands one wake-up to a push service. The wake-up is an opaque "you have mail" signal: it
/// carries no message content, code, token or phone number. Implementations never log the push
/// token or the credential.
public protocol PushProvider: Sendable {
    /// Wakes the app holding `pushToken`; `wakeupID` identifies this wake-up to the provider.
    /// Never throws — every failure is an outcome the worker records.
    func wake(pushToken: String, wakeupID: UUID) async -> PushOutcome
}
