internal import Logging
internal import MKPostgres
internal import MKRPC

/// The one place where errors become wire statuses: domain errors pass through, a database that
/// cannot be reached is UNAVAILABLE, anything else is INTERNAL with its detail only in the log.
enum PreferencesFailure {
    /// NOT_FOUND for a key that is unknown, unpaired or another citizen's: identical in all cases.
    static let deviceNotFound = RPCError(.notFound, "No such mobile key.")

    /// NOT_FOUND for a notification that is unknown or another authority's.
    static let notificationNotFound = RPCError(.notFound, "No such notification.")

    /// The status `error` reaches the caller as.
    static func rpcError(for error: any Error, logger: Logger) -> RPCError {
        if let transaction = error as? PostgresTransactionError {
            return rpcError(for: transaction.underlying, logger: logger)
        }
        if let convertible = error as? any RPCErrorConvertible {
            return convertible.rpcError
        }
        if let postgres = error as? PostgresError, postgres.isConnectionError {
            logger.warning("database unavailable", metadata: ["error": "\(postgres)"])
            return RPCError(.unavailable, "The preferences database is unavailable; try again.")
        }
        if let postgres = error as? PostgresError, postgres.code == .cancelled {
            return RPCError(.cancelled, "The call was cancelled.")
        }
        logger.error("internal error", metadata: ["error": "\(error)"])
        return RPCError(.internal, "internal error")
    }
}
