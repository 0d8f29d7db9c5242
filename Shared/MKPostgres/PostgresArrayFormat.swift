/// PostgreSQL's binary array format (`array_send`) for one-dimensional arrays without NULLs:
/// dimensions, has-nulls flag, element OID, then per dimension its length and lower bound, then
/// each element as a 4-byte length and its bytes.
enum PostgresArrayFormat {
    static func encode<Element: PostgresEncodable>(_ elements: [Element], elementType: PostgresDataType)
        throws(PostgresError) -> [UInt8]
    {
        var buffer: [UInt8] = []
        BinaryCoding.append(Int32(elements.isEmpty ? 0 : 1), to: &buffer)
        BinaryCoding.append(Int32(0), to: &buffer)
        BinaryCoding.append(elementType.rawValue, to: &buffer)
        guard !elements.isEmpty else { return buffer }
        guard let count = Int32(exactly: elements.count) else {
            throw PostgresError(.invalidParameter, reason: "array too long")
        }
        BinaryCoding.append(count, to: &buffer)
        BinaryCoding.append(Int32(1), to: &buffer)
        for element in elements {
            guard let bytes = try element.postgresBinaryValue() else {
                throw PostgresError(.invalidParameter, reason: "array elements must not be NULL")
            }
            BinaryCoding.append(Int32(bytes.count), to: &buffer)
            buffer.append(contentsOf: bytes)
        }
        return buffer
    }

    /// Decodes a one-dimensional array; NULL elements and more dimensions are an `invalidValue`
    /// error, since the Swift element types here are not optional.
    static func decode<Element: PostgresDecodable>(
        from cell: PostgresCell,
        accepting accepted: [PostgresDataType],
        elementType: PostgresDataType
    ) throws(PostgresError) -> [Element] {
        var reader = BinaryReader(try cell.bytes(accepting: accepted, as: [Element].self))
        guard let dimensions = reader.read(Int32.self), reader.read(Int32.self) != nil,
            let oid = reader.read(UInt32.self), oid == elementType.rawValue
        else { throw cell.invalidValue([Element].self) }
        if dimensions == 0 { return [] }
        guard dimensions == 1, let count = reader.read(Int32.self), count >= 0, reader.read(Int32.self) != nil else {
            throw cell.invalidValue([Element].self)
        }
        var elements: [Element] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = reader.read(Int32.self), length >= 0, let bytes = reader.read(count: Int(length)) else {
                throw cell.invalidValue([Element].self)
            }
            let elementCell = PostgresCell(
                bytes: bytes, dataType: elementType, columnName: cell.columnName, columnIndex: cell.columnIndex)
            elements.append(try Element.decode(from: elementCell))
        }
        guard reader.isAtEnd else { throw cell.invalidValue([Element].self) }
        return elements
    }
}
