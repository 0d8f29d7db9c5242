/// A complete, materialised result: its rows, its columns, and the number of rows the statement
/// affected. Safe to keep and pass between tasks; it holds no connection.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let storage: RowStorage
    /// Rows inserted, updated or deleted (`PQcmdTuples`), or returned by a `SELECT`.
    public let affectedRows: Int
    /// The server's command tag, e.g. `INSERT 0 1` or `UPDATE 3`.
    public let commandTag: String

    init(storage: RowStorage, affectedRows: Int, commandTag: String) {
        self.storage = storage
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// The result's columns.
    public var columns: [PostgresColumn] { storage.columns }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { storage.rowCount }

    /// The row at a zero-based position.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(storage: storage, index: position)
    }

    /// Decodes every row into a tuple of the given types, one per column.
    public func decode<each Column: PostgresDecodable>(_ types: (repeat each Column).Type) throws(PostgresError)
        -> [(repeat each Column)]
    {
        var result: [(repeat each Column)] = []
        result.reserveCapacity(count)
        for row in self {
            result.append(try row.decode(types))
        }
        return result
    }

    /// Decodes the only row; throws ``PostgresError/Code/unexpectedShape`` unless there is exactly one.
    public func single<each Column: PostgresDecodable>(_ types: (repeat each Column).Type) throws(PostgresError)
        -> (repeat each Column)
    {
        guard count == 1 else {
            throw PostgresError(.unexpectedShape, reason: "expected exactly one row, got \(count)")
        }
        return try self[0].decode(types)
    }

    /// Decodes the first row, or returns `nil` when there are no rows.
    public func decodeFirst<each Column: PostgresDecodable>(_ types: (repeat each Column).Type) throws(PostgresError)
        -> (repeat each Column)?
    {
        guard let row = self.first else { return nil }
        let values: (repeat each Column) = try row.decode(types)
        return values
    }

    /// Decodes the only column of every row.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> [Value] {
        var result: [Value] = []
        result.reserveCapacity(count)
        for row in self {
            result.append(try row.decode(type))
        }
        return result
    }

    /// Decodes the only column of the only row; see ``single(_:)``.
    public func single<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> Value {
        guard count == 1 else {
            throw PostgresError(.unexpectedShape, reason: "expected exactly one row, got \(count)")
        }
        return try self[0].decode(type)
    }

    /// Decodes the only column of the first row, or returns `nil` when there are no rows.
    public func decodeFirst<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> Value? {
        guard let row = self.first else { return nil }
        return try row.decode(type)
    }
}
