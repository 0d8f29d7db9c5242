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
}

extension Connection {
    /// Runs statements in one pipeline (libpq pipeline mode): every statement is sent before the
    /// first answer is read, so they share a round trip. `sync` says whether each statement is its
    /// own transaction (``PipelineSync/afterEach``) or all share one (``PipelineSync/once``).
    ///
    /// Returns one result per statement, in order. A statement this connection has not prepared yet
    /// is prepared first, in a round trip of its own. When the connection breaks, every statement
    /// without an answer yet fails with `connectionClosed`. With ``PipelineSync/once`` nothing is
    /// sent when one statement is refused before sending, and a statement after a failed one fails
    /// with `notRun`.
    func executePipeline(
        _ queries: [PostgresQuery], sync: PipelineSync = .afterEach
    ) -> [Result<PostgresRows, PostgresError>] {
        guard let handle else { return queries.map { _ in .failure(Self.closedError) } }
        defer { refreshStatus() }
        var results = [Result<PostgresRows, PostgresError>?](repeating: nil, count: queries.count)
        var ready: [(index: Int, statement: PreparedStatement)] = []
        for (index, query) in queries.enumerated() {
            do throws(PostgresError) {
                ready.append((index, try prepared(query, handle: handle)))
            } catch {
                results[index] = .failure(error)
            }
        }
        if sync == .once, ready.count < queries.count {
            return results.map { $0 ?? .failure(Self.notRunError) }
        }
        if !ready.isEmpty {
            let answers = pipeline(ready.map(\.statement), sync: sync, handle: handle)
            for (entry, answer) in zip(ready, answers) {
                results[entry.index] = answer
            }
        }
        return results.map { $0! }
    }

    /// Sends `statements` in pipeline mode and reads their answers.
    private func pipeline(
        _ statements: [PreparedStatement], sync: PipelineSync, handle: OpaquePointer
    ) -> [Result<PostgresRows, PostgresError>] {
        guard PQenterPipelineMode(handle) == 1 else {
            return statements.map { _ in .failure(lostConnectionError(handle)) }
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
                guard sync == .afterEach else {
                    // The statements before it are queued without their Sync: the pipeline cannot
                    // be ended cleanly, so the connection stays in pipeline mode and is retired.
                    PQsetnonblocking(handle, 0)
                    return statements.map { _ in .failure(error) }
                }
                refusals.append(error)
                continue
            }
            guard queued == 1, sync == .once || PQpipelineSync(handle) == 1 else {
                PQsetnonblocking(handle, 0)
                return statements.map { _ in .failure(lostConnectionError(handle)) }
            }
            refusals.append(nil)
        }
        let flushed = (sync == .afterEach || PQpipelineSync(handle) == 1) && flush(handle)
        PQsetnonblocking(handle, 0)
        guard flushed else { return statements.map { _ in .failure(lostConnectionError(handle)) } }

        var answers: [Result<PostgresRows, PostgresError>] = []
        answers.reserveCapacity(statements.count)
        for refusal in refusals {
            if let refusal {
                answers.append(.failure(refusal))
                continue
            }
            guard PQstatus(handle) == CONNECTION_OK else {
                answers.append(.failure(lostConnectionError(handle)))
                continue
            }
            var answer = readResult(handle)
            if sync == .afterEach, let failure = readSync(handle) { answer = .failure(failure) }
            answers.append(answer)
        }
        if sync == .once, PQstatus(handle) == CONNECTION_OK, let failure = readSync(handle) {
            answers = answers.map { $0.flatMap { _ in .failure(failure) } }
        }
        // Fails when answers are left unread; the connection then stays in pipeline mode and
        // ``refreshStatus()`` keeps it out of the pool.
        PQexitPipelineMode(handle)
        return answers
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
