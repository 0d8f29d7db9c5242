extension PostgresConnection {
    /// Runs `body` inside `BEGIN`…`COMMIT`.
    ///
    /// A throwing body rolls back; every failure is thrown as ``PostgresTransactionError`` holding
    /// the begin, body, rollback and commit errors. A `COMMIT` the server answers with `ROLLBACK`
    /// (the body swallowed a failed statement) is a commit error, never a silent success.
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            try await simpleExecute(unsafeSQL: "BEGIN")
        } catch {
            mustRetire = true
            throw PostgresTransactionError(beginError: error)
        }
        let result: Result
        do {
            result = try await body(self)
        } catch {
            var rollbackError: (any Error)?
            do {
                try await simpleExecute(unsafeSQL: "ROLLBACK")
            } catch {
                // Closing the connection makes the server roll back.
                mustRetire = true
                rollbackError = error
            }
            throw PostgresTransactionError(bodyError: error, rollbackError: rollbackError)
        }
        let tag: String
        do {
            tag = try await run { connection throws(PostgresError) in try connection.simpleExecute("COMMIT") }.commandTag
        } catch {
            mustRetire = true
            throw PostgresTransactionError(commitError: error)
        }
        guard tag == "COMMIT" else {
            throw PostgresTransactionError(
                commitError: PostgresError(.transactionRolledBack, reason: "the transaction had failed; it was rolled back")
            )
        }
        return result
    }
}
