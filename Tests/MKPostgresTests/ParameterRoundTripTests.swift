import Foundation
import MKPostgres
import MKTestSupport
import Testing

@Suite("Parameters and types round-trip through PostgreSQL")
struct ParameterRoundTripTests {
    @Test func hostileAndUnicodeTextIsStoredUnchanged() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgparam") { database in
            try await database.withClient { client in
                try await client.execute("CREATE TABLE notes (id int8 PRIMARY KEY, body text NOT NULL)")
                let values = [
                    "it's \"quoted\"",
                    "a; b; c;",
                    "'; DROP TABLE notes; --",
                    "$1 $2 \\ %s %L",
                    "Příliš žluťoučký kůň úpěl ďábelské ódy 🐎🔑",
                    "",
                    String(repeating: "ž1🔑", count: 1_048_576 / 8),
                ]
                for (index, value) in values.enumerated() {
                    try await client.execute("INSERT INTO notes (id, body) VALUES (\(index), \(value))")
                }
                let stored = try await client.query("SELECT body FROM notes ORDER BY id").decode(String.self)
                #expect(stored == values)
                let count = try await client.query("SELECT count(*) FROM notes").single(Int64.self)
                #expect(count == Int64(values.count))
            }
        }
    }

    @Test func everyEncodableTypeRoundTrips() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgtypes") { database in
            try await database.withClient { client in
                let id = UUID()
                let date = Date(timeIntervalSinceReferenceDate: 789_012_345.123456)
                let bytes: [UInt8] = [0, 1, 0, 255, 0]
                let row = try await client.query(
                    """
                    SELECT \(Int64.max), \(Int64.min), \(Int32.min), \(Int16.max), \(Int(-42)), \(true), \(false),
                           \(Double.pi), \(id), \(date), \(bytes), \("tekst"), \(["a", "ž", ""]), \([id, id]),
                           \([Int64.min, 0, Int64.max]), \([String]())
                    """
                ).single((Int64, Int64, Int32, Int16, Int, Bool, Bool, Double, UUID, Date, [UInt8], String, [String], [UUID], [Int64], [String]).self)
                #expect(row.0 == .max)
                #expect(row.1 == .min)
                #expect(row.2 == .min)
                #expect(row.3 == .max)
                #expect(row.4 == -42)
                #expect(row.5 == true)
                #expect(row.6 == false)
                #expect(row.7 == .pi)
                #expect(row.8 == id)
                #expect(microseconds(row.9) == microseconds(date))
                #expect(row.10 == bytes)
                #expect(row.11 == "tekst")
                #expect(row.12 == ["a", "ž", ""])
                #expect(row.13 == [id, id])
                #expect(row.14 == [.min, 0, .max])
                #expect(row.15 == [])
                let flags = try await client.query("SELECT \([true, false, true]), \([Bool]())")
                    .single(([Bool], [Bool]).self)
                #expect(flags.0 == [true, false, true])
                #expect(flags.1 == [])
                let later = date.addingTimeInterval(86_400.000001)
                let blobs: [[UInt8]] = [bytes, [], [7]]
                let more = try await client.query("SELECT \([date, later]), \([Date]()), \(blobs), \([[UInt8]]())")
                    .single(([Date], [Date], [[UInt8]], [[UInt8]]).self)
                #expect(more.0.map(microseconds) == [date, later].map(microseconds))
                #expect(more.1 == [])
                #expect(more.2 == blobs)
                #expect(more.3 == [])
            }
        }
    }

    @Test func nullsRoundTripAsNil() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgnull") { database in
            try await database.withClient { client in
                let none: (String?, Int64?, UUID?, Date?, [UInt8]?, Bool?) = (nil, nil, nil, nil, nil, nil)
                let row = try await client.query(
                    "SELECT \(none.0), \(none.1), \(none.2), \(none.3), \(none.4), \(none.5)"
                ).single((String?, Int64?, UUID?, Date?, [UInt8]?, Bool?).self)
                #expect(row.0 == nil && row.1 == nil && row.2 == nil && row.3 == nil && row.4 == nil && row.5 == nil)
                let some: String? = "value"
                let observed = try await client.query("SELECT \(some)").single(String?.self)
                #expect(observed == "value")
            }
        }
    }

    @Test func datesKeepMicrosecondsAsTheServerSeesThem() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgdate") { database in
            try await database.withClient { client in
                let date = Date(timeIntervalSince1970: 1_767_225_600.123456)
                let same = try await client.query(
                    "SELECT \(date) = '2026-01-01 00:00:00.123456+00'::timestamptz"
                ).single(Bool.self)
                #expect(same)
                let decoded = try await client.query(
                    "SELECT '2026-01-01 00:00:00.123456+00'::timestamptz"
                ).single(Date.self)
                #expect(microseconds(decoded) == microseconds(date))
            }
        }
    }

    @Test func interiorNulIsRejectedBeforeTheServer() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgnul") { database in
            try await database.withClient { client in
                let error = await #expect(throws: PostgresError.self) {
                    try await client.query("SELECT \("before\u{0}after")")
                }
                #expect(error?.code == .invalidParameter)
                #expect(error?.sqlState == nil)
                let invalidIdentifier = await #expect(throws: PostgresError.self) {
                    try await client.query("SELECT 1 FROM \(identifier: "Bad-Name").t")
                }
                #expect(invalidIdentifier?.code == .invalidParameter)
            }
        }
    }

    private func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded())
    }
}
