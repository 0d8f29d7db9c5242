/// A result column: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    /// The column's name as the server reports it (`AS` alias or source column).
    public var name: String
    /// The column's type.
    public var dataType: PostgresDataType

    /// Creates a column description.
    public init(name: String, dataType: PostgresDataType) {
        self.name = name
        self.dataType = dataType
    }
}
