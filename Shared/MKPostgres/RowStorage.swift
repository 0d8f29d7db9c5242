/// A result copied out of a `PGresult`: all cell bytes in one buffer, addressed by offset and
/// length, so the `PGresult` can be cleared at once and rows are cheap to hand around.
final class RowStorage: Sendable {
    let columns: [PostgresColumn]
    let rowCount: Int
    private let buffer: [UInt8]
    /// Per cell, row-major: start offset in `buffer`.
    private let offsets: [Int]
    /// Per cell, row-major: byte count, or -1 for NULL.
    private let lengths: [Int32]

    init(columns: [PostgresColumn], rowCount: Int, buffer: [UInt8], offsets: [Int], lengths: [Int32]) {
        self.columns = columns
        self.rowCount = rowCount
        self.buffer = buffer
        self.offsets = offsets
        self.lengths = lengths
    }

    func cell(row: Int, column: Int) -> PostgresCell {
        let index = row * columns.count + column
        let length = Int(lengths[index])
        let bytes = length < 0 ? nil : buffer[offsets[index]..<offsets[index] + length]
        let description = columns[column]
        return PostgresCell(bytes: bytes, dataType: description.dataType, columnName: description.name, columnIndex: column)
    }
}
