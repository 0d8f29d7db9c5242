internal import MKRPC

/// The registry's domain errors; `ServiceFailure` turns every other error into a wire status.
enum RegistryFailure {
    /// NOT_FOUND for a key that is unknown, unpaired, or another citizen's: identical in all cases.
    static let deviceNotFound = RPCError(.notFound, "No such mobile key.")
}
