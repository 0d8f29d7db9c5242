/// A Swift value that can be read from a binary-format result column.
///
/// Implementations call ``PostgresCell/bytes(accepting:as:)`` first, which checks the column's type
/// and NULL-ness and throws the typed errors.
public protocol PostgresDecodable {
    /// Decodes the cell, or throws ``PostgresError`` (`typeMismatch`, `unexpectedNull`, `invalidValue`).
    static func decode(from cell: PostgresCell) throws(PostgresError) -> Self
}
