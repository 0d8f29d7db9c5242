import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a pipeline's Syncs go: they end the server's implicit transactions and mark where
/// it resumes after a failed statement.
enum PipelineSync {
    /// After every statement: each is its own implicit transaction and fails alone.
    case afterEach
    /// Once, after the last statement: they run in order in one transaction (the caller's, or an
    /// implicit one), and after a failed statement the rest do not run.
    case once
    /// Once, for reads: the statements run in order in one read-only, read-committed transaction
    /// (each with its own snapshot), so the server flushes its answers once for all of them, and a
    /// write among them fails. Each answer is final once read (a later failure cannot undo a read);
    /// after a failed statement the rest fail with `notRun`, and a statement refused before sending
    /// stops none of the others.
    case onceReadOnly
}

extension Connection {
    /// Runs statements in one pipeline (libpq pipeline mode): every statement is sent before the
    /// first answer is read, so they share a round trip. `sync` says whether each statement is its
    /// own transaction (``PipelineSync/afterEach``) or all share one (``PipelineSync/once``).
    ///
    /// Returns one result per statement, in order; ``executePipeline(_:sync:answer:)`` says which.
    func executePipeline(
        _ queries: [PostgresQuery], sync: PipelineSync
    ) -> [Result<PostgresRows, PostgresError>] {
        var results = [Result<PostgresRows, PostgresError>?](repeating: nil, count: queries.count)
        executePipeline(queries, sync: sync) { index, answer in results[index] = answer }
        return results.map { $0! }
    }

    /// Runs statements in one pipeline, as ``executePipeline(_:sync:)`` does, and hands each
    /// statement's result to `answer` with its index as soon as it is final: with
    /// ``PipelineSync/afterEach`` and ``PipelineSync/onceReadOnly`` once it is read, while the
    /// server still runs the statements after it; with ``PipelineSync/once`` after the last one.
    /// `answer` runs once per statement, on this thread.
    ///
    /// A statement this connection has not prepared yet is prepared first, in a round trip of its
    /// own. When the connection breaks, every statement without an answer yet fails with
    /// `connectionClosed`. With ``PipelineSync/once`` nothing is sent when one statement is refused
    /// before sending, and a statement after a failed one fails with `notRun`.
    func executePipeline(
        _ queries: [PostgresQuery], sync: PipelineSync,
        answer: (Int, Result<PostgresRows, PostgresError>) -> Void
    ) {
        guard let handle else {
            for index in queries.indices { answer(index, .failure(Self.closedError)) }
            return
        }
        defer { refreshStatus() }
        var ready: [(index: Int, statement: PreparedStatement)] = []
        var refused: [(index: Int, error: PostgresError)] = []
        for (index, query) in queries.enumerated() {
            do throws(PostgresError) {
                ready.append((index, try prepared(query, handle: handle)))
            } catch {
                refused.append((index, error))
            }
        }
        for entry in refused { answer(entry.index, .failure(entry.error)) }
        if sync == .once, !refused.isEmpty {
            for entry in ready { answer(entry.index, .failure(Self.notRunError)) }
            return
        }
        guard !ready.isEmpty else { return }
        guard sync == .onceReadOnly else {
            pipeline(ready.map(\.statement), sync: sync, handle: handle) { position, result in
                answer(ready[position].index, result)
            }
            return
        }
        readOnlyPipeline(ready, handle: handle, answer: answer)
    }

    /// Sends `ready` between a read-only `BEGIN` and `COMMIT` with one Sync
    /// (``PipelineSync/onceReadOnly``) and hands `answer` each statement's result as it is read.
    private func readOnlyPipeline(
        _ ready: [(index: Int, statement: PreparedStatement)], handle: OpaquePointer,
        answer: (Int, Result<PostgresRows, PostgresError>) -> Void
    ) {
        let begin: PreparedStatement
        let commit: PreparedStatement
        do throws(PostgresError) {
            begin = try prepared("BEGIN ISOLATION LEVEL READ COMMITTED, READ ONLY", handle: handle)
            commit = try prepared("COMMIT", handle: handle)
        } catch {
            for entry in ready { answer(entry.index, .failure(error)) }
            return
        }
        let statements = [begin] + ready.map(\.statement) + [commit]
        var beginFailure: PostgresError?
        pipeline(statements, sync: .onceReadOnly, handle: handle) { position, result in
            switch position {
            case 0:
                if case .failure(let error) = result { beginFailure = error }
            case statements.count - 1:
                break  // The reads were final when read; a failed COMMIT undoes nothing of theirs.
            default:
                // Without the transaction nothing ran: its failure is every statement's.
                answer(ready[position - 1].index, beginFailure.map { .failure($0) } ?? result)
            }
        }
    }

    /// Sends `statements` in pipeline mode and hands `answer` each one's final result by position.
    private func pipeline(
        _ statements: [PreparedStatement], sync: PipelineSync, handle: OpaquePointer,
        answer: (Int, Result<PostgresRows, PostgresError>) -> Void
    ) {
        func failAll(_ error: PostgresError) {
            for position in statements.indices { answer(position, .failure(error)) }
        }
        guard PQenterPipelineMode(handle) == 1 else {
            failAll(lostConnectionError(handle))
            return
        }
        // Non-blocking while sending, so a full socket buffer never stops this thread while the
        // server waits for it to read answers (the deadlock libpq's documentation warns of).
        PQsetnonblocking(handle, 1)
        // Per statement: `nil` once sent, or why it could not be.
        var refusals: [PostgresError?] = []
        for statement in statements {
            let queued: Int32
            do throws(PostgresError) {
                queued = try Self.withParameters(statement.query.binds) { values, lengths, formats in
                    if let name = statement.name {
                        return PQsendQueryPrepared(
                            handle, name, statement.parameterCount, values, lengths, formats, 1)
                    }
                    return PQsendQueryParams(
                        handle, statement.query.sql, statement.parameterCount, statement.types, values, lengths,
                        formats, 1)
                }
            } catch {
                guard sync != .once else {
                    // The statements before it are queued without their Sync: the pipeline cannot
                    // be ended cleanly, so the connection stays in pipeline mode and is retired.
                    PQsetnonblocking(handle, 0)
                    failAll(error)
                    return
                }
                refusals.append(error)
                continue
            }
            guard queued == 1, sync != .afterEach || PQpipelineSync(handle) == 1 else {
                PQsetnonblocking(handle, 0)
                failAll(lostConnectionError(handle))
                return
            }
            refusals.append(nil)
        }
        let flushed = (sync == .afterEach || PQpipelineSync(handle) == 1) && flush(handle)
        PQsetnonblocking(handle, 0)
        guard flushed else {
            failAll(lostConnectionError(handle))
            return
        }

        // With one Sync the answers wait for it: a failed Sync fails every statement.
        var held: [Result<PostgresRows, PostgresError>] = []
        for (position, refusal) in refusals.enumerated() {
            var result: Result<PostgresRows, PostgresError>
            if let refusal {
                result = .failure(refusal)
            } else if PQstatus(handle) != CONNECTION_OK {
                result = .failure(lostConnectionError(handle))
            } else {
                result = readResult(handle)
                if sync == .afterEach, let failure = readSync(handle) { result = .failure(failure) }
            }
            if sync == .once {
                held.append(result)
            } else {
                answer(position, result)
            }
        }
        if sync == .onceReadOnly, PQstatus(handle) == CONNECTION_OK {
            // Every statement is answered; a lost Sync leaves the connection out of the pool.
            _ = readSync(handle)
        }
        if sync == .once {
            if PQstatus(handle) == CONNECTION_OK, let failure = readSync(handle) {
                held = held.map { $0.flatMap { _ in .failure(failure) } }
            }
            for (position, result) in held.enumerated() { answer(position, result) }
        }
        // Fails when answers are left unread; the connection then stays in pipeline mode and
        // ``refreshStatus()`` keeps it out of the pool.
        PQexitPipelineMode(handle)
    }

    /// Sends what libpq has buffered, reading answers meanwhile so the server is never stuck
    /// writing to a full socket; false when the connection failed.
    private func flush(_ handle: OpaquePointer) -> Bool {
        while true {
            switch PQflush(handle) {
            case 0:
                return true
            case 1:
                var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | POLLOUT), revents: 0)
                if poll(&descriptor, 1, -1) < 0, errno != EINTR { return false }
                if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(handle) == 0 { return false }
            default:
                return false
            }
        }
    }

    /// Reads one statement's result and the end of its results.
    private func readResult(_ handle: OpaquePointer) -> Result<PostgresRows, PostgresError> {
        guard let result = PQgetResult(handle) else { return .failure(lostConnectionError(handle)) }
        let answer: Result<PostgresRows, PostgresError>
        if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
            PQclear(result)
            answer = .failure(Self.notRunError)
        } else {
            answer = Result { () throws(PostgresError) in try consume(result) }
        }
        while let extra = PQgetResult(handle) {
            // A single prepared statement has one result; anything more is cleared, never leaked.
            PQclear(extra)
        }
        return answer
    }

    /// Reads the answer to a Sync; `nil` when it is one.
    private func readSync(_ handle: OpaquePointer) -> PostgresError? {
        guard let sync = PQgetResult(handle) else { return lostConnectionError(handle) }
        defer { PQclear(sync) }
        guard PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
            return PostgresError(.connectionClosed, reason: "the pipeline lost its place")
        }
        return nil
    }

    /// A statement after a failed one in a pipeline with one Sync: the server skipped it.
    static var notRunError: PostgresError {
        PostgresError(.notRun, reason: "not run: a statement before it in its pipeline failed")
    }

    private func lostConnectionError(_ handle: OpaquePointer) -> PostgresError {
        PostgresError(.connectionClosed, reason: Self.firstLine(CString.string(PQerrorMessage(handle)) ?? ""))
    }
}
