/// One value of a result row: its raw binary bytes (or `nil` for NULL), its type and its column.
public struct PostgresCell: Sendable {
    /// The binary-format bytes, `nil` when the value is SQL NULL.
    public var bytes: ArraySlice<UInt8>?
    /// The column's type.
    public var dataType: PostgresDataType
    /// The column's name, for error messages.
    public var columnName: String
    /// The column's zero-based position.
    public var columnIndex: Int

    /// Creates a cell.
    public init(bytes: ArraySlice<UInt8>?, dataType: PostgresDataType, columnName: String, columnIndex: Int) {
        self.bytes = bytes
        self.dataType = dataType
        self.columnName = columnName
        self.columnIndex = columnIndex
    }

    /// The bytes, after checking that the column has one of the `accepted` types and is not NULL.
    public func bytes<T>(accepting accepted: [PostgresDataType], as type: T.Type) throws(PostgresError)
        -> ArraySlice<UInt8>
    {
        guard accepted.contains(dataType) else {
            throw PostgresError(
                .typeMismatch,
                reason: "column \(columnIndex) (\(columnName)) is \(dataType), cannot decode as \(T.self)"
            )
        }
        guard let bytes else {
            throw PostgresError(
                .unexpectedNull,
                reason: "column \(columnIndex) (\(columnName)) is NULL, decoded as non-optional \(T.self)"
            )
        }
        return bytes
    }

    /// An ``PostgresError/Code/invalidValue`` error naming this column.
    public func invalidValue<T>(_ type: T.Type) -> PostgresError {
        PostgresError(
            .invalidValue,
            reason: "column \(columnIndex) (\(columnName)) holds malformed \(dataType) data for \(T.self)"
        )
    }
}
