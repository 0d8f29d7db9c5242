/// One row of a ``PostgresRows`` result.
public struct PostgresRow: Sendable {
    let storage: RowStorage
    let index: Int

    /// The row's columns.
    public var columns: [PostgresColumn] { storage.columns }

    /// The cell at a zero-based column position.
    public subscript(column: Int) -> PostgresCell {
        storage.cell(row: index, column: column)
    }

    /// Decodes the columns, in order, into a tuple: `row.decode((UUID, String, Date?).self)`.
    ///
    /// The number of types must equal the number of columns, so a changed query cannot silently
    /// shift values into the wrong fields.
    public func decode<each Column: PostgresDecodable>(_ types: (repeat each Column).Type) throws(PostgresError)
        -> (repeat each Column)
    {
        var expected = 0
        for _ in repeat (each Column).self { expected += 1 }
        guard expected == storage.columns.count else {
            throw PostgresError(
                .unexpectedShape,
                reason: "decoding \(expected) columns from a row of \(storage.columns.count)"
            )
        }
        var position = 0
        func next<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> Value {
            defer { position += 1 }
            return try Value.decode(from: storage.cell(row: index, column: position))
        }
        return (repeat try next((each Column).self))
    }

    /// Decodes the single column at `column` as `type`.
    public func decode<Value: PostgresDecodable>(column: Int, as type: Value.Type) throws(PostgresError) -> Value {
        guard storage.columns.indices.contains(column) else {
            throw PostgresError(.unexpectedShape, reason: "no column \(column) in a row of \(storage.columns.count)")
        }
        return try Value.decode(from: storage.cell(row: index, column: column))
    }

    /// Decodes a row of exactly one column.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> Value {
        guard storage.columns.count == 1 else {
            throw PostgresError(.unexpectedShape, reason: "decoding 1 column from a row of \(storage.columns.count)")
        }
        return try Value.decode(from: storage.cell(row: index, column: 0))
    }
}
