import MKPostgres
import MKTestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test func terminatedBackendIsReplacedBeforeTheNextQuery() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgterm") { database in
            var configuration = database.configuration
            configuration.maximumConnections = 1
            try await TestDatabase.withClient(configuration) { client in
                let pid = try await client.query("SELECT pg_backend_pid()").single(Int32.self)
                try await TestDatabase.withClient(try TestDatabase.adminConfiguration()) { admin in
                    let observed = try await admin.query("SELECT pg_terminate_backend(\(pid))").single(Bool.self)
                    #expect(observed)
                    // Wait until the server has really ended the backend (and sent the goodbye).
                    for _ in 0..<100 {
                        let alive = try await admin.query(
                            "SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)").single(Int64.self)
                        if alive == 0 { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                let replacement = try await client.query("SELECT pg_backend_pid()").single(Int32.self)
                #expect(replacement != pid)
            }
        }
    }

    @Test func cancelledQueryReturnsPromptlyAndItsConnectionIsRetired() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgcancel") { database in
            var configuration = database.configuration
            configuration.maximumConnections = 1
            configuration.acquireTimeout = .seconds(2)
            try await TestDatabase.withClient(configuration) { client in
                let pid = try await client.query("SELECT pg_backend_pid()").single(Int32.self)
                let started = ContinuousClock.now
                let sleeper = Task { try await client.query("SELECT pg_sleep(60)") }
                try await Task.sleep(for: .milliseconds(300))
                sleeper.cancel()
                let result = await sleeper.result
                // Far below the 60 s sleep: the cancellation reached the server.
                #expect(ContinuousClock.now - started < .seconds(20))
                #expect(throws: PostgresError.self) { try result.get() }
                if case .failure(let error as PostgresError) = result {
                    #expect(error.code == .cancelled)
                }
                // One slot only: if the cancelled connection leaked, this would time out.
                let next = try await client.query("SELECT pg_backend_pid()").single(Int32.self)
                #expect(next != pid)
                let again = try await client.query("SELECT pg_backend_pid()").single(Int32.self)
                #expect(again == next)
            }
        }
    }

    @Test func exhaustedPoolTimesOutWithATypedError() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgexhaust") { database in
            var configuration = database.configuration
            configuration.maximumConnections = 1
            configuration.acquireTimeout = .milliseconds(200)
            try await TestDatabase.withClient(configuration) { client in
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) {
                    try await client.withConnection { _ in
                        try await client.query("SELECT 1")
                    }
                }
                #expect(error?.code == .poolTimeout)
                // The 200 ms acquire timeout ended the wait; a hang is what this guards against.
                #expect(ContinuousClock.now - started < .seconds(15))
                let observed = try await client.query("SELECT 1::int4").single(Int32.self)
                #expect(observed == 1)
            }
        }
    }

    @Test func concurrentCallersShareTheBoundedPool() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgshare") { database in
            var configuration = database.configuration
            configuration.maximumConnections = 3
            try await TestDatabase.withClient(configuration) { client in
                let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                    for _ in 0..<30 {
                        group.addTask {
                            try await client.query("SELECT pg_backend_pid() FROM pg_sleep(0.01)").single(Int32.self)
                        }
                    }
                    return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
                }
                #expect(pids.count <= 3)
                #expect(pids.count >= 1)
            }
        }
    }

    @Test func statementIsPreparedOnceAndReusedPerConnection() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgprep") { database in
            try await database.withClient { client in
                let prepared = try await client.withConnection { connection in
                    for value in 0..<3 {
                        try await connection.query("SELECT \(Int64(value)) + 1")
                    }
                    return try await connection.query(
                        "SELECT count(*) FROM pg_prepared_statements WHERE statement = \("SELECT $1 + 1")"
                    ).single(Int64.self)
                }
                #expect(prepared == 1)
            }
        }
    }

    @Test func connectionUsedAfterItsScopeIsRefused() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgscope") { database in
            try await database.withClient { client in
                let escaped = try await client.withConnection { connection in connection }
                let error = await #expect(throws: PostgresError.self) { try await escaped.query("SELECT 1") }
                #expect(error?.code == .connectionOutOfScope)
            }
        }
    }

    @Test func shutDownClientRefusesWork() async throws {
        let client = PostgresClient(configuration: try TestDatabase.adminConfiguration())
        let observed = try await client.query("SELECT 1::int4").single(Int32.self)
        #expect(observed == 1)
        await client.shutdown()
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.code == .clientClosed)
    }
}
