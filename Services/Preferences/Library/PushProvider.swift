public import Foundation

/// Hands one wake-up to a push service. The wake-up is an opaque "you have mail" signal: it
/// carries no message content, code, token or phone number. Implementations never log the push
/// token or the credential.
public protocol PushProvider: Sendable {
    /// Wakes the app holding `pushToken`, in the request format of the key's `platform`;
    /// `wakeupID` identifies this wake-up to the provider. Never throws — every failure is an
    /// outcome the worker records.
    func wake(pushToken: String, platform: PushPlatform, wakeupID: UUID) async -> PushOutcome
}

/// The platform of a key's app as its pairing named it: it decides which push service a wake-up
/// goes to and in which format.
public enum PushPlatform: String, Sendable {
    /// Android: Firebase Cloud Messaging, when configured.
    case android = "ANDROID"
    /// iOS: the APNs-style request.
    case ios = "IOS"
    /// Paired before platforms were kept: the APNs-style request, as before.
    case unknown = ""
}
