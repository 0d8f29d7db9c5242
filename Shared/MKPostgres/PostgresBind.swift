/// One bind parameter: its declared type and its binary value (`nil` is SQL NULL).
struct PostgresBind: Sendable, Hashable {
    var dataType: PostgresDataType
    var bytes: [UInt8]?
}
