import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Connection {
    /// Runs statements in one pipeline (libpq pipeline mode): every statement is sent before the
    /// first answer is read, so they share a round trip. A Sync follows each statement, so each
    /// runs as its own implicit transaction and one that fails fails alone.
    ///
    /// Returns one result per statement, in order. A statement this connection has not prepared yet
    /// is prepared first, in a round trip of its own. When the connection breaks, every statement
    /// without an answer yet fails with `connectionClosed`.
    func executePipeline(_ queries: [PostgresQuery]) -> [Result<PostgresRows, PostgresError>] {
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
        if !ready.isEmpty {
            let answers = pipeline(ready.map(\.statement), handle: handle)
            for (entry, answer) in zip(ready, answers) {
                results[entry.index] = answer
            }
        }
        return results.map { $0! }
    }

    /// Sends `statements` in pipeline mode and reads their answers.
    private func pipeline(
        _ statements: [PreparedStatement], handle: OpaquePointer
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
                refusals.append(error)
                continue
            }
            guard queued == 1, PQpipelineSync(handle) == 1 else {
                PQsetnonblocking(handle, 0)
                return statements.map { _ in .failure(lostConnectionError(handle)) }
            }
            refusals.append(nil)
        }
        let flushed = flush(handle)
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
            answers.append(readAnswer(handle))
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

    /// Reads one statement's answer: its result, the end of its results, then its Sync.
    private func readAnswer(_ handle: OpaquePointer) -> Result<PostgresRows, PostgresError> {
        guard let result = PQgetResult(handle) else { return .failure(lostConnectionError(handle)) }
        let answer = Result { () throws(PostgresError) in try consume(result) }
        while let extra = PQgetResult(handle) {
            // A single prepared statement has one result; anything more is cleared, never leaked.
            PQclear(extra)
        }
        guard let sync = PQgetResult(handle) else { return .failure(lostConnectionError(handle)) }
        defer { PQclear(sync) }
        guard PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
            return .failure(PostgresError(.connectionClosed, reason: "the pipeline lost its place"))
        }
        return answer
    }

    private func lostConnectionError(_ handle: OpaquePointer) -> PostgresError {
        PostgresError(.connectionClosed, reason: Self.firstLine(CString.string(PQerrorMessage(handle)) ?? ""))
    }
}
