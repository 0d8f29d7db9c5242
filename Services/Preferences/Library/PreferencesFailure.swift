internal import MKRPC

/// The service's domain errors; `ServiceFailure` turns every other error into a wire status.
enum PreferencesFailure {
    /// NOT_FOUND for a key that is unknown, unpaired or another citizen's: identical in all cases.
    static let deviceNotFound = RPCError(.notFound, "No such mobile key.")

    /// NOT_FOUND for a notification that is unknown or another authority's.
    static let notificationNotFound = RPCError(.notFound, "No such notification.")
}
