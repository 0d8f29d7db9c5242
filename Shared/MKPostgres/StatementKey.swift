/// Identifies a prepared statement: the same SQL text with different parameter types is a
/// different statement to the server.
struct StatementKey: Hashable {
    var sql: String
    var parameterTypes: [UInt32]
}
