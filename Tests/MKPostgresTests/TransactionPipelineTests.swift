import MKPostgres
import MKTestSupport
import Testing

/// `PostgresConnection.pipeline`: statements sent in one round trip that share one transaction.
@Suite("Statements pipelined in one transaction")
struct TransactionPipelineTests {
    @Test func theStatementsRunInOrderAndEachGetsItsRows() async throws {
        try await Self.withCodes(prefix: "txpipeorder") { client in
            let results = try await client.withTransaction { connection in
                try await connection.pipeline([
                    "INSERT INTO codes VALUES ('first')",
                    "INSERT INTO codes VALUES ('second') RETURNING code",
                    "SELECT count(*) FROM codes",
                    "SELECT txid_current() = (SELECT xmin::text::bigint FROM codes WHERE code = 'first')",
                ])
            }
            #expect(results.count == 4)
            #expect(results[0].affectedRows == 1)
            #expect(try results[1].single(String.self) == "second")
            // The third statement saw the two inserts before it.
            #expect(try results[2].single(Int64.self) == 3)
            // The first insert is the caller's transaction's.
            #expect(try results[3].single(Bool.self))
            let codes = try await client.query("SELECT code FROM codes ORDER BY code").decode(String.self)
            #expect(codes == ["first", "second", "taken"])
        }
    }

    @Test func aFailingStatementIsThrownAndNothingOfItsTransactionCommits() async throws {
        try await Self.withCodes(prefix: "txpipefail") { client in
            let error = await #expect(throws: PostgresTransactionError.self) {
                try await client.withTransaction { connection in
                    try await connection.pipeline([
                        "INSERT INTO codes VALUES ('before')",
                        "INSERT INTO codes VALUES ('taken')",
                        "INSERT INTO codes VALUES ('after')",
                    ])
                }
            }
            #expect((error?.bodyError as? PostgresError)?.isUniqueViolation == true)
            // Outside an explicit transaction the pipeline is one implicit transaction of its own.
            let alone = await #expect(throws: PostgresError.self) {
                try await client.withConnection { connection in
                    try await connection.pipeline([
                        "INSERT INTO codes VALUES ('alone')",
                        "SELECT 1 / 0",
                        "INSERT INTO codes VALUES ('never')",
                    ])
                }
            }
            #expect(alone?.sqlState == "22012")
            let codes = try await client.query("SELECT code FROM codes ORDER BY code").decode(String.self)
            #expect(codes == ["taken"])
            // The one pooled connection left pipeline mode cleanly: it serves the next statement.
            let next = try await client.withConnection { connection in
                try await connection.pipeline(["SELECT 41 + 1"]).first?.single(Int32.self)
            }
            #expect(next == 42)
        }
    }

    @Test func badInputSendsNothing() async throws {
        try await Self.withCodes(prefix: "txpipebad") { client in
            let error = await #expect(throws: PostgresError.self) {
                try await client.withConnection { connection in
                    try await connection.pipeline([
                        "INSERT INTO codes VALUES ('sent')",
                        "INSERT INTO codes VALUES (\("a\u{0}b"))",
                    ])
                }
            }
            #expect(error?.code == .invalidParameter)
            let codes = try await client.query("SELECT code FROM codes ORDER BY code").decode(String.self)
            #expect(codes == ["taken"])
            #expect(try await client.withConnection { try await $0.pipeline([]) }.isEmpty)
        }
    }

    /// Runs `body` with a one-connection client of a fresh schema holding `codes`, a table with a
    /// unique code and the row `taken`.
    static func withCodes(prefix: String, _ body: (PostgresClient) async throws -> Void) async throws {
        try await TestDatabase.withIsolatedSchema(prefix: prefix) { database in
            var configuration = database.configuration
            configuration.maximumConnections = 1
            try await TestDatabase.withClient(configuration) { client in
                try await client.execute("CREATE TABLE codes (code text PRIMARY KEY)")
                try await client.execute("INSERT INTO codes VALUES ('taken')")
                try await body(client)
            }
        }
    }
}
