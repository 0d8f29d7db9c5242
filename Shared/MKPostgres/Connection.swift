import CLibPQ

/// One libpq connection (`PGconn`), used by one thread at a time.
///
/// Owns the `PGconn` from the first non-NULL `PQconnectdbParams` return until `PQfinish`, and a
/// cache of the statements it has prepared. It is not `Sendable`: the pool lends it to one scope,
/// and that scope hands it to one libpq thread per call and awaits the call, so no two threads ever
/// touch it together — the mistake behind "another command is already in progress".
final class Connection {
    /// `nil` once finished; nothing calls libpq on a finished connection.
    var handle: OpaquePointer?
    /// Cancels this connection's running statement from another thread.
    let cancelToken: CancelToken
    /// The server process serving this connection (`pg_backend_pid()`).
    let backendPID: Int32
    /// Prepared statements by SQL text and parameter types, with their server-side names.
    var statements: [StatementKey: String] = [:]
    /// Result of the last status check, made on the libpq thread after every call, so the pool can
    /// decide about reuse without calling libpq itself.
    private(set) var isIdleAndHealthy = true
    private var operationCounter: UInt64 = 0

    /// Prepared statements kept per connection; later distinct statements are run unnamed.
    static let statementCacheLimit = 256

    init(handle: OpaquePointer, cancelToken: CancelToken, backendPID: Int32) {
        self.handle = handle
        self.cancelToken = cancelToken
        self.backendPID = backendPID
    }

    /// Returns a new operation number for ``CancelToken``.
    func nextOperation() -> UInt64 {
        operationCounter += 1
        return operationCounter
    }

    /// Re-reads status and transaction state; the connection may go back to the pool only when it
    /// is `CONNECTION_OK` and idle (not inside or after a failed transaction, not mid-COPY, not left in
    /// pipeline mode).
    func refreshStatus() {
        guard let handle else {
            isIdleAndHealthy = false
            return
        }
        isIdleAndHealthy =
            PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
            && PQpipelineStatus(handle) == PQ_PIPELINE_OFF
    }

    /// `PQfinish`, once. Safe to call repeatedly.
    func close() {
        cancelToken.invalidate()
        if let handle {
            PQfinish(handle)
        }
        handle = nil
        isIdleAndHealthy = false
    }

    deinit {
        // A last resort: the pool closes connections on a libpq thread; this only catches a
        // connection dropped on another path, so it is never leaked.
        close()
    }
}

@available(*, unavailable)
extension Connection: Sendable {}
