import MKPostgres
import Testing

@Suite("PostgresQuery")
struct PostgresQueryTests {
    @Test func interpolatedValuesBecomeBindParameters() {
        let name = "x'; DROP TABLE devices; --"
        let query: PostgresQuery = "SELECT * FROM devices WHERE name = \(name) AND id = \(Int64(7))"
        #expect(query.sql == "SELECT * FROM devices WHERE name = $1 AND id = $2")
        #expect(!query.description.contains("DROP"))
    }

    @Test func identifiersAreValidatedAndQuoted() {
        let query: PostgresQuery = "SELECT 1 FROM \(identifier: "registry").devices"
        #expect(query.sql == "SELECT 1 FROM \"registry\".devices")
    }

    @Test(arguments: ["Registry", "1abc", "a-b", "a\"b", "", String(repeating: "a", count: 64)])
    func invalidIdentifiersAreRejected(name: String) {
        #expect(throws: PostgresError.self) { try PostgresIdentifier.validate(name) }
    }
}
