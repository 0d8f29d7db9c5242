import MKPostgres
import MKTestSupport
import Testing

/// `PostgresClient.pipelinedQuery`: read-only statements of concurrent callers sent in one
/// pipeline and one read-only transaction, each failing alone. Most tests hold the one pipeline
/// connection with a `pg_sleep` so the statements queued meanwhile are sure to travel together in
/// the next pipeline.
@Suite("Pipelined statements")
struct PipelineTests {
    @Test func concurrentCallersEachGetTheirOwnAnswer() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipeanswers") { client, _ in
            let answers = try await withThrowingTaskGroup(of: (Int64, Int64, Int32).self) { group in
                for value in Int64(0)..<300 {
                    group.addTask {
                        let (doubled, pid) = try await client.pipelinedQuery(
                            "SELECT \(value) * 2, pg_backend_pid()"
                        ).single((Int64, Int32).self)
                        return (value, doubled, pid)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == 300)
            #expect(answers.allSatisfy { $0.1 == $0.0 * 2 })
            // One pipeline connection: every statement ran on one backend.
            #expect(Set(answers.map(\.2)).count == 1)
        }
    }

    @Test func aFailingStatementFailsAloneAndTheOthersAreAnswered() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipealone") { client, configuration in
            let (blocker, _) = try await Self.holdThePipeline(client, configuration: configuration)
            // Queued together behind the sleep: one pipeline, one transaction.
            let first = Task { try await client.pipelinedQuery("SELECT 1::int4").single(Int32.self) }
            let division = Task { try await client.pipelinedQuery("SELECT (1 / 0)::int4").single(Int32.self) }
            let syntax = Task { try await client.pipelinedQuery("SELEKT 1") }
            // Those queued after the division are skipped by the server, then sent again.
            let later = (Int32(0)..<10).map { value in
                Task { try await client.pipelinedQuery("SELECT \(value) + 1").single(Int32.self) }
            }
            _ = try await blocker.value
            #expect(try await first.value == 1)
            let divisionError = await #expect(throws: PostgresError.self) { try await division.value }
            #expect(divisionError?.sqlState == "22012")
            let syntaxError = await #expect(throws: PostgresError.self) { try await syntax.value }
            #expect(syntaxError?.sqlState == "42601")
            for (value, task) in later.enumerated() {
                #expect(try await task.value == Int32(value) + 1)
            }
            // The connection left pipeline mode cleanly: transactions work on the same pool.
            let counted = try await client.withTransaction { connection in
                try await connection.query("SELECT count(*) FROM pg_class WHERE false").single(Int64.self)
            }
            #expect(counted == 0)
        }
    }

    @Test func aWriteFailsAndChangesNothing() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipewrite") { client, configuration in
            try await client.execute("CREATE TABLE codes (code text PRIMARY KEY)")
            let (blocker, _) = try await Self.holdThePipeline(client, configuration: configuration)
            let read = Task { try await client.pipelinedQuery("SELECT count(*) FROM codes").single(Int64.self) }
            let write = Task { try await client.pipelinedQuery("INSERT INTO codes VALUES ('written')") }
            _ = try await blocker.value
            #expect(try await read.value == 0)
            let error = await #expect(throws: PostgresError.self) { try await write.value }
            #expect(error?.sqlState == "25006")
            let count = try await client.query("SELECT count(*) FROM codes").single(Int64.self)
            #expect(count == 0)
        }
    }

    @Test func transactionControlIsRefusedBeforeSending() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipecontrol") { client, _ in
            for sql in ["COMMIT", "  rollback", "\nSET TRANSACTION READ WRITE", "begin", "end"] {
                let error = await #expect(throws: PostgresError.self) {
                    try await client.pipelinedQuery(PostgresQuery(unsafeSQL: sql))
                }
                #expect(error?.code == .invalidParameter, "\(sql)")
            }
            // A statement that only starts like a command runs.
            let settings = try await client.pipelinedQuery("SELECT 'SET'::text AS settings").single(String.self)
            #expect(settings == "SET")
        }
    }

    @Test func aCallerCancelledWhileQueuedNeverRuns() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipequeued") { client, configuration in
            // A session setting marks a statement that ran: it outlives the read-only transaction.
            let (blocker, _) = try await Self.holdThePipeline(client, configuration: configuration)
            let cancelled = Task {
                try await client.pipelinedQuery("SELECT set_config('mk.cancelled', 'ran', false)")
            }
            let kept = Task { try await client.pipelinedQuery("SELECT set_config('mk.kept', 'ran', false)") }
            cancelled.cancel()
            let error = await #expect(throws: PostgresError.self) { try await cancelled.value }
            #expect(error?.code == .cancelled)
            _ = try await blocker.value
            _ = try await kept.value
            let marks = try await client.pipelinedQuery(
                "SELECT coalesce(current_setting('mk.cancelled', true), ''), current_setting('mk.kept', true)"
            ).single((String, String).self)
            #expect(marks.0 == "" && marks.1 == "ran")
        }
    }

    @Test func aCallerCancelledAfterSendingReturnsAtOnce() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipesent") { client, configuration in
            let (blocker, _) = try await Self.holdThePipeline(client, configuration: configuration, seconds: 3)
            let started = ContinuousClock.now
            blocker.cancel()
            let error = await #expect(throws: PostgresError.self) { try await blocker.value }
            #expect(error?.code == .cancelled)
            // Far below the 3 s sleep, which still runs on the server.
            #expect(ContinuousClock.now - started < .seconds(2))
            let observed = try await client.pipelinedQuery("SELECT 7::int4").single(Int32.self)
            #expect(observed == 7)
        }
    }

    @Test func oneConnectionSendsEverythingWhileItKeepsUp() async throws {
        // A 0.5 s statement is no stall when the stall is 10 s: the statement queued behind it waits
        // for the same connection rather than opening the second one.
        try await Self.withPipeline(connections: 2, stall: .seconds(10), prefix: "pipeone") {
            client, configuration in
            let (blocker, pid) = try await Self.holdThePipeline(client, configuration: configuration)
            let queued = try await client.pipelinedQuery("SELECT pg_backend_pid()").single(Int32.self)
            #expect(queued == pid)
            _ = try await blocker.value
        }
    }

    @Test func aStatementQueuedBehindAStalledConnectionGoesOnAnother() async throws {
        try await Self.withPipeline(connections: 2, stall: .milliseconds(20), prefix: "pipestall") {
            client, configuration in
            let (blocker, pid) = try await Self.holdThePipeline(client, configuration: configuration, seconds: 30)
            try await Task.sleep(for: .milliseconds(40))
            // Answered while the 30 s statement still runs, on the second connection.
            let other = try await client.pipelinedQuery("SELECT pg_backend_pid()").single(Int32.self)
            #expect(other != pid)
            try await TestDatabase.withClient(try TestDatabase.adminConfiguration()) { admin in
                _ = try await admin.query("SELECT pg_cancel_backend(\(pid))")
            }
            await #expect(throws: PostgresError.self) { try await blocker.value }
        }
    }

    @Test func aBrokenConnectionFailsItsStatementsAndTheNextGetANewOne() async throws {
        try await Self.withOnePipelineConnection(prefix: "pipebroken") { client, configuration in
            let (blocker, pid) = try await Self.holdThePipeline(client, configuration: configuration, seconds: 30)
            let queued = Task { try await client.pipelinedQuery("SELECT pg_backend_pid()").single(Int32.self) }
            try await TestDatabase.withClient(try TestDatabase.adminConfiguration()) { admin in
                _ = try await admin.query("SELECT pg_terminate_backend(\(pid))")
            }
            let error = await #expect(throws: PostgresError.self) { try await blocker.value }
            #expect(error?.code == .connectionClosed)
            // The statement queued behind it went on a new connection once the lane was replaced.
            let queuedPID = try await queued.value
            #expect(queuedPID != pid)
            let next = try await client.pipelinedQuery("SELECT pg_backend_pid()").single(Int32.self)
            #expect(next != pid)
        }
    }

    @Test func badInputFailsBeforeAnythingIsSent() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pipebad") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE notes (note text)")
                let error = await #expect(throws: PostgresError.self) {
                    try await client.pipelinedQuery("INSERT INTO notes VALUES (\("a\u{0}b"))")
                }
                #expect(error?.code == .invalidParameter)
                let count = try await client.query("SELECT count(*) FROM notes").single(Int64.self)
                #expect(count == 0)
            }
        }
    }

    @Test func anExhaustedPoolTimesOutAndAShutDownClientRefuses() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pipepool") { database in
            var configuration = database.configuration
            configuration.maximumConnections = 1
            configuration.acquireTimeout = .milliseconds(200)
            let client = PostgresClient(configuration: configuration)
            let error = await #expect(throws: PostgresError.self) {
                try await client.withConnection { _ in try await client.pipelinedQuery("SELECT 1") }
            }
            #expect(error?.code == .poolTimeout)
            let observed = try await client.pipelinedQuery("SELECT 1::int4").single(Int32.self)
            #expect(observed == 1)
            await client.shutdown()
            let closed = await #expect(throws: PostgresError.self) { try await client.pipelinedQuery("SELECT 1") }
            #expect(closed?.code == .clientClosed)
        }
    }

    /// Runs `body` with a client of a fresh schema whose pipelined statements all go over one
    /// connection.
    static func withOnePipelineConnection(
        prefix: String, _ body: (PostgresClient, PostgresConfiguration) async throws -> Void
    ) async throws {
        try await withPipeline(connections: 1, prefix: prefix, body)
    }

    /// Runs `body` with a client of a fresh schema whose pipelined statements go over at most
    /// `connections` connections, a further one after `stall`.
    static func withPipeline(
        connections: Int, stall: Duration = .milliseconds(2), prefix: String,
        _ body: (PostgresClient, PostgresConfiguration) async throws -> Void
    ) async throws {
        try await TestDatabase.withIsolatedSchema(prefix: prefix) { database in
            var configuration = database.configuration
            configuration.pipelineConnections = connections
            configuration.pipelineStall = stall
            try await TestDatabase.withClient(configuration) { client in try await body(client, configuration) }
        }
    }

    /// Starts a pipelined `pg_sleep` and returns once the server runs it, with the backend's pid:
    /// until it ends, the one pipeline connection is busy and later statements queue.
    static func holdThePipeline(
        _ client: PostgresClient, configuration: PostgresConfiguration, seconds: Double = 0.5
    ) async throws -> (Task<PostgresRows, any Error>, Int32) {
        let blocker = Task { try await client.pipelinedQuery("SELECT pg_sleep(\(seconds))") }
        return try await TestDatabase.withClient(try TestDatabase.adminConfiguration()) { admin in
            for _ in 0..<500 {
                let pids = try await admin.query(
                    """
                    SELECT pid FROM pg_stat_activity
                    WHERE usename = \(configuration.user) AND state = 'active' AND query LIKE 'SELECT pg_sleep%'
                    """
                ).decode(Int32.self)
                if let pid = pids.first { return (blocker, pid) }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw PostgresError(.server, reason: "the pipelined pg_sleep never started")
        }
    }
}
