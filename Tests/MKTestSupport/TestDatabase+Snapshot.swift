public import MKPostgres

extension TestDatabase {
    /// Every row of every table in `tables`, as text and sorted, for before/after comparisons
    /// (a rejected call must leave them unchanged).
    public static func snapshot(of tables: [String], in database: PostgresClient) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in tables {
            let rows = try await database.query("SELECT t::text FROM \(identifier: table) AS t ORDER BY 1")
            result[table] = try rows.decode(String.self)
        }
        return result
    }
}
