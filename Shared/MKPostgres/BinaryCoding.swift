/// Big-endian integers, the building block of PostgreSQL's binary formats.
enum BinaryCoding {
    static func append<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(MemoryLayout<T>.size)
        append(value, to: &buffer)
        return buffer
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, from bytes: ArraySlice<UInt8>) -> T? {
        guard bytes.count == MemoryLayout<T>.size else { return nil }
        return bytes.reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
    }

    /// Decodes an integer column into `T`, accepting the integer types no wider than `T` so a
    /// widening read (an `int4` count into `Int64`) works and a narrowing one is a type mismatch.
    static func decodeInteger<T: FixedWidthInteger & SignedInteger>(_ type: T.Type, from cell: PostgresCell)
        throws(PostgresError) -> T
    {
        let candidates: [(PostgresDataType, Int)] = [(.int2, 2), (.int4, 4), (.int8, 8)]
        let accepted = candidates.filter { $0.1 <= MemoryLayout<T>.size }.map(\.0)
        let bytes = try cell.bytes(accepting: accepted, as: T.self)
        let value: Int64? =
            switch cell.dataType {
            case .int2: integer(Int16.self, from: bytes).map(Int64.init)
            case .int4: integer(Int32.self, from: bytes).map(Int64.init)
            default: integer(Int64.self, from: bytes)
            }
        guard let value, let result = T(exactly: value) else { throw cell.invalidValue(T.self) }
        return result
    }
}
