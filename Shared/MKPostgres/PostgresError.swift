/// An error from the PostgreSQL layer: a failed connection, a server error, an exhausted pool, a
/// cancelled query, or a value that could not be encoded or decoded.
///
/// `description` is safe to log: it never contains SQL text, parameter values, passwords or the
/// server's DETAIL (which quotes row values). The server's primary message is kept in
/// ``serverMessage`` for debugging; it can quote a value (`invalid input syntax for type integer:
/// "…"`), so it is not part of `description`.
public struct PostgresError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// The five-character SQLSTATE the server sent, or `nil` for a client-side error.
    public var sqlState: String?
    /// The constraint that was violated (`PG_DIAG_CONSTRAINT_NAME`), if the server named one.
    public var constraintName: String?
    /// The server's primary message; may quote values, so keep it out of production logs.
    public var serverMessage: String?
    /// A client-side explanation written by this layer; never contains values or secrets.
    public var reason: String

    /// Creates an error.
    public init(
        _ code: Code,
        reason: String = "",
        sqlState: String? = nil,
        constraintName: String? = nil,
        serverMessage: String? = nil
    ) {
        self.code = code
        self.reason = reason
        self.sqlState = sqlState
        self.constraintName = constraintName
        self.serverMessage = serverMessage
    }

    public var description: String {
        var parts = ["PostgresError(\(code.rawValue)"]
        if let sqlState { parts.append("sqlState: \(sqlState)") }
        if let constraintName { parts.append("constraint: \(constraintName)") }
        if !reason.isEmpty { parts.append("reason: \(reason)") }
        return parts.joined(separator: ", ") + ")"
    }

    /// A unique constraint or index rejected the row (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// A foreign key rejected the row or the delete (SQLSTATE 23503).
    public var isForeignKeyViolation: Bool { sqlState == "23503" }

    /// The role lacks a privilege, for example on another service's schema (SQLSTATE 42501).
    public var isPermissionDenied: Bool { sqlState == "42501" }

    /// A serializable transaction or deadlock lost; retrying the whole transaction may succeed.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The connection is gone or could not be made; the pool replaces it and a retry may succeed.
    public var isConnectionError: Bool {
        switch code {
        case .connectionFailed, .connectionClosed, .poolTimeout, .clientClosed:
            return true
        default:
            // Class 08 is connection exceptions; 57P01…57P03 are administrator shutdown and
            // crash/restart terminations of the backend.
            guard let sqlState else { return false }
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        }
    }
}
