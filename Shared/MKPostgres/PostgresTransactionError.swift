/// A failed transaction: every error that happened on the way, kept together so that a failed
/// rollback does not hide why the body failed.
///
/// Exactly one of ``beginError``, ``bodyError`` and ``commitError`` is set. ``rollbackError`` is
/// set when the body failed and the rollback failed too; the connection is then discarded, which
/// makes the server roll back.
public struct PostgresTransactionError: Error, Sendable, CustomStringConvertible {
    /// `BEGIN` failed; the body did not run.
    public var beginError: (any Error)?
    /// The body threw; the transaction was rolled back.
    public var bodyError: (any Error)?
    /// `ROLLBACK` after a failed body failed as well.
    public var rollbackError: (any Error)?
    /// `COMMIT` failed, or the server answered it with a rollback; nothing was committed.
    public var commitError: (any Error)?

    /// Creates a transaction error.
    public init(
        beginError: (any Error)? = nil,
        bodyError: (any Error)? = nil,
        rollbackError: (any Error)? = nil,
        commitError: (any Error)? = nil
    ) {
        self.beginError = beginError
        self.bodyError = bodyError
        self.rollbackError = rollbackError
        self.commitError = commitError
    }

    /// The error that made the transaction fail: the begin, body or commit error.
    public var underlying: any Error {
        beginError ?? bodyError ?? commitError ?? PostgresError(.server, reason: "transaction failed")
    }

    public var description: String {
        var parts: [String] = []
        if let beginError { parts.append("begin: \(beginError)") }
        if let bodyError { parts.append("body: \(bodyError)") }
        if let rollbackError { parts.append("rollback: \(rollbackError)") }
        if let commitError { parts.append("commit: \(commitError)") }
        return "PostgresTransactionError(\(parts.joined(separator: "; ")))"
    }
}
