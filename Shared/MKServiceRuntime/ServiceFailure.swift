public import Logging
internal import MKPostgres
public import MKRPC

/// The one place where any error a service's handler throws becomes a wire status.
public enum ServiceFailure {
    /// The status `error` reaches the caller as: domain errors (``RPCErrorConvertible``) pass
    /// through, a database that cannot be reached is UNAVAILABLE (so callers fail fast and may
    /// retry), a cancelled call is CANCELLED, and anything else is INTERNAL "internal error" with
    /// its detail only in `logger` (which carries the trace id). `service` names the service in
    /// the UNAVAILABLE message ("device registry" → "The device registry's database is unavailable").
    public static func rpcError(for error: any Error, service: String, logger: Logger) -> RPCError {
        if let transaction = error as? PostgresTransactionError {
            return rpcError(for: transaction.underlying, service: service, logger: logger)
        }
        if let convertible = error as? any RPCErrorConvertible {
            return convertible.rpcError
        }
        if error is CancellationError {
            return RPCError(.cancelled, "The call was cancelled.")
        }
        if let postgres = error as? PostgresError, postgres.isConnectionError {
            logger.warning("database unavailable", metadata: ["error": "\(postgres)"])
            return RPCError(.unavailable, "The \(service)'s database is unavailable; try again.")
        }
        if let postgres = error as? PostgresError, postgres.code == .cancelled {
            return RPCError(.cancelled, "The call was cancelled.")
        }
        logger.error("internal error", metadata: ["error": "\(error)"])
        return RPCError(.internal, "internal error")
    }
}
