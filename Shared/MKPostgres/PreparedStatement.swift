/// A statement ready to send on one connection: checked, its parameter types known, and the name
/// it is prepared under there (`nil` when the connection's cache is full and it goes unnamed).
struct PreparedStatement {
    var query: PostgresQuery
    var types: [UInt32]
    var name: String?

    var parameterCount: Int32 { Int32(types.count) }
}
