internal import Logging
internal import MKRPC

/// The service's domain errors; `ServiceFailure` turns every other error into a wire status.
/// No message ever holds a code.
enum BokFailure {
    /// The citizen has no BOK.
    static let noBok = RPCError(.failedPrecondition, "The citizen has no BOK.", reason: "NO_BOK")
    /// The BOK is blocked.
    static let blocked = RPCError(
        .failedPrecondition, "The BOK is blocked after three wrong entries; an office must unblock it.",
        reason: "BOK_BLOCKED")
    /// No active key of the citizen has BOK-pad on.
    static let noBokPadKey = RPCError(
        .failedPrecondition, "The citizen has no active mobile key with BOK-pad on.", reason: "NO_BOK_PAD_KEY")
    /// The citizen already has a pending request.
    static let verificationPending = RPCError(
        .failedPrecondition, "A verification is already pending for this citizen.", reason: "VERIFICATION_PENDING")
    /// The per-citizen cap.
    static let citizenLimit = RPCError(
        .resourceExhausted, "Too many verifications were started for this citizen recently; try again later.",
        reason: "CITIZEN_LIMIT")
    /// The per-counter cap.
    static let counterLimit = RPCError(
        .resourceExhausted, "Too many verifications were started at this counter recently; try again later.",
        reason: "COUNTER_LIMIT")
    /// SetBok for a citizen who has one.
    static let bokExists = RPCError(
        .alreadyExists, "The citizen already has a BOK; replace it with UnblockBok.", reason: "BOK_EXISTS")
    /// UnblockBok for a citizen without a BOK.
    static let noBokToReplace = RPCError(
        .notFound, "The citizen has no BOK to unblock; set one with SetBok.", reason: "NO_BOK")
    /// An unknown request, or another office's, or another citizen's: identical in all cases.
    static let requestNotFound = RPCError(.notFound, "No such verification request.")
    /// An unknown key, or another citizen's.
    static let deviceNotFound = RPCError(.notFound, "No such mobile key.")
    /// A request that was answered, cancelled or voided before.
    static let requestClosed = RPCError(
        .failedPrecondition, "The verification request was already answered or closed.", reason: "REQUEST_CLOSED")
    /// The device signature does not verify for this citizen and this answer.
    static let badSignature = RPCError(
        .unauthenticated, "The device signature is not valid for this answer.", reason: "BAD_SIGNATURE")
    /// The answering key has BOK-pad off.
    static let bokPadOff = RPCError(.failedPrecondition, "BOK-pad is off for this mobile key.", reason: "BOK_PAD_OFF")
    /// The encrypted BOK names a key the service does not have.
    static let unknownHpkeKey = RPCError(
        .invalidArgument, "encrypted_bok.key_id: is not the BOK service's key; fetch GetHpkePublicKey again.",
        reason: "UNKNOWN_KEY")
    /// The encrypted BOK does not open (malformed, tampered, other request or counter code).
    static let undecryptable = RPCError(
        .invalidArgument, "encrypted_bok: cannot be decrypted for this request and counter code.",
        reason: "BAD_CIPHERTEXT")
    /// The encrypted BOK opens but does not hold 4 to 10 ASCII digits.
    static let malformedBok = RPCError(
        .invalidArgument, "encrypted_bok: does not hold 4 to 10 ASCII digits.", reason: "BAD_CIPHERTEXT")

    /// UNAVAILABLE for a peer service that failed; the detail goes to the log.
    static func peerUnavailable(_ peer: String, _ error: any Error, logger: Logger) -> RPCError {
        logger.warning("peer call failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
        if let error = error as? RPCError, error.code == .deadlineExceeded || error.code == .cancelled {
            return error
        }
        return RPCError(.unavailable, "The \(peer) is unavailable; try again.")
    }
}
