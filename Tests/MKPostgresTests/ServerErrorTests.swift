import MKPostgres
import MKTestSupport
import Testing

@Suite("Server errors map to typed errors")
struct ServerErrorTests {
    @Test func uniqueAndForeignKeyViolationsNameTheirConstraints() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgerr") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE owners (id int8 CONSTRAINT owners_pk PRIMARY KEY)")
                try await client.execute(
                    "CREATE TABLE pets (id int8 PRIMARY KEY, owner int8 CONSTRAINT pets_owner_fk REFERENCES owners)")
                try await client.execute("INSERT INTO owners VALUES (\(Int64(1)))")

                let duplicate = await #expect(throws: PostgresError.self) {
                    try await client.execute("INSERT INTO owners VALUES (\(Int64(1)))")
                }
                #expect(duplicate?.isUniqueViolation == true)
                #expect(duplicate?.constraintName == "owners_pk")
                #expect(duplicate?.code == .server)

                let orphan = await #expect(throws: PostgresError.self) {
                    try await client.execute("INSERT INTO pets VALUES (\(Int64(1)), \(Int64(99)))")
                }
                #expect(orphan?.isForeignKeyViolation == true)
                #expect(orphan?.constraintName == "pets_owner_fk")
                #expect(orphan?.isUniqueViolation == false)
            }
        }
    }

    @Test func descriptionNeverContainsParameterValues() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgdesc") { database in
            try await database.withClient { client in
                let secret = "citizen-secret-4711"
                let error = await #expect(throws: PostgresError.self) {
                    try await client.query("SELECT \(secret)::int4")
                }
                // The server quotes the value in its message, so the test proves it is kept out.
                #expect(error?.serverMessage?.contains(secret) == true)
                #expect(error.map { String(describing: $0) }?.contains(secret) == false)
                #expect(error?.sqlState == "22P02")

                try await client.execute("CREATE TABLE codes (code text CONSTRAINT codes_uq UNIQUE)")
                try await client.execute("INSERT INTO codes VALUES (\(secret))")
                let duplicate = await #expect(throws: PostgresError.self) {
                    try await client.execute("INSERT INTO codes VALUES (\(secret))")
                }
                #expect(duplicate.map { "\($0)" }?.contains(secret) == false)
                #expect(duplicate.map { "\($0)" }?.contains("codes_uq") == true)
            }
        }
    }

    @Test func statementTimeoutIsTypedAndTheClientRecovers() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtimeout") { database in
            var configuration = database.configuration
            configuration.statementTimeout = .milliseconds(200)
            try await TestDatabase.withClient(configuration) { client in
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) {
                    try await client.query("SELECT pg_sleep(60)")
                }
                #expect(error?.code == .statementTimeout)
                #expect(error?.sqlState == "57014")
                // Far below the 60 s sleep: the 200 ms statement timeout ended it.
                #expect(ContinuousClock.now - started < .seconds(20))
                let observed = try await client.query("SELECT 1::int4").single(Int32.self)
                #expect(observed == 1)
            }
        }
    }

    @Test func closedPortFailsFastWithConnectionFailed() async throws {
        var configuration = try TestDatabase.adminConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 1
        configuration.password = "never-printed-pw"
        try await TestDatabase.withClient(configuration) { client in
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
            #expect(error?.code == .connectionFailed)
            #expect(error?.isConnectionError == true)
            #expect(error.map { "\($0)" }?.contains("never-printed-pw") == false)
            // A refused connection must not wait for anything (a hang is what this guards against).
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }
}
