import MKPostgres
import MKTestSupport
import Testing

@Suite("Decoding reports typed errors")
struct DecodingErrorTests {
    @Test func wrongColumnTypeIsATypeMismatch() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgdec") { database in
            try await database.withClient { client in
                let rows = try await client.query("SELECT 'text'::text AS label, 5::int8 AS n")
                let mismatch = #expect(throws: PostgresError.self) { try rows.single((Int64, Int64).self) }
                #expect(mismatch?.code == .typeMismatch)
                #expect(mismatch?.reason.contains("label") == true)
                let narrowing = #expect(throws: PostgresError.self) { try rows.single((String, Int32).self) }
                #expect(narrowing?.code == .typeMismatch)
                let shape = #expect(throws: PostgresError.self) { try rows.single(String.self) }
                #expect(shape?.code == .unexpectedShape)
                let (label, number) = try rows.single((String, Int64).self)
                #expect(label == "text" && number == 5)
            }
        }
    }

    @Test func nullIntoNonOptionalIsUnexpectedNull() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgdecnull") { database in
            try await database.withClient { client in
                let rows = try await client.query("SELECT NULL::text")
                let error = #expect(throws: PostgresError.self) { try rows.single(String.self) }
                #expect(error?.code == .unexpectedNull)
                #expect(try rows.single(String?.self) == nil)
            }
        }
    }

    @Test func smallerIntegerColumnsWidenIntoLargerTypes() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgwiden") { database in
            try await database.withClient { client in
                let row = try await client.query("SELECT (-7)::int2, 123456::int4, 9::int4").single((Int64, Int64, Int).self)
                #expect(row == (-7, 123_456, 9))
            }
        }
    }
}
