import MKPostgres
import MKTestSupport
import Testing

@Suite("Transactions")
struct TransactionTests {
    struct BodyFailure: Error {}

    @Test func throwingBodyLeavesNothingBehind() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtx") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE items (id int8 PRIMARY KEY)")
                let error = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withTransaction { connection in
                        try await connection.execute("INSERT INTO items VALUES (\(Int64(1)))")
                        throw BodyFailure()
                    }
                }
                #expect(error?.bodyError is BodyFailure)
                #expect(error?.rollbackError == nil)
                let observed = try await client.query("SELECT count(*) FROM items").single(Int64.self)
                #expect(observed == 0)
            }
        }
    }

    @Test func failedStatementIsReportedAndRolledBack() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtxfail") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE items (id int8 PRIMARY KEY)")
                try await client.execute("INSERT INTO items VALUES (\(Int64(1)))")
                let error = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withTransaction { connection in
                        try await connection.execute("INSERT INTO items VALUES (\(Int64(2)))")
                        try await connection.execute("INSERT INTO items VALUES (\(Int64(1)))")
                    }
                }
                #expect((error?.bodyError as? PostgresError)?.isUniqueViolation == true)
                #expect(error?.rollbackError == nil)
                #expect(error?.commitError == nil)
                let observed = try await client.query("SELECT id FROM items").decode(Int64.self)
                #expect(observed == [1])
            }
        }
    }

    @Test func swallowedFailureMakesCommitFail() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtxswallow") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE items (id int8 PRIMARY KEY)")
                let error = await #expect(throws: PostgresTransactionError.self) {
                    try await client.withTransaction { connection in
                        try await connection.execute("INSERT INTO items VALUES (\(Int64(5)))")
                        _ = try? await connection.execute("SELECT 1/0")
                    }
                }
                #expect((error?.commitError as? PostgresError)?.code == .transactionRolledBack)
                let observed = try await client.query("SELECT count(*) FROM items").single(Int64.self)
                #expect(observed == 0)
            }
        }
    }

    @Test func committedWorkIsVisibleAndTheResultReturned() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtxok") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE items (id int8 PRIMARY KEY)")
                let inserted = try await client.withTransaction { connection in
                    try await connection.execute("INSERT INTO items VALUES (\(Int64(1))), (\(Int64(2)))")
                }
                #expect(inserted == 2)
                let observed = try await client.query("SELECT count(*) FROM items").single(Int64.self)
                #expect(observed == 2)
            }
        }
    }

    @Test func connectionLeftInATransactionIsNotReused() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtxleft") { database in
            var configuration = database.configuration
            configuration.maximumConnections = 1
            try await TestDatabase.withClient(configuration) { client in
                let first = try await client.withConnection { connection in
                    try await connection.simpleExecute(unsafeSQL: "BEGIN")
                    return try await connection.query("SELECT pg_backend_pid()").single(Int32.self)
                }
                let second = try await client.query("SELECT pg_backend_pid()").single(Int32.self)
                #expect(first != second)
            }
        }
    }
}
