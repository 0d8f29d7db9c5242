extension Bool: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .bool }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { [self ? 1 : 0] }

    /// Decodes `bool`.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Bool {
        let bytes = try cell.bytes(accepting: [.bool], as: Bool.self)
        guard bytes.count == 1, let byte = bytes.first, byte <= 1 else { throw cell.invalidValue(Bool.self) }
        return byte == 1
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .float8 }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { BinaryCoding.bytes(of: bitPattern) }

    /// Decodes `float8`, and `float4` which always fits.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Double {
        let bytes = try cell.bytes(accepting: [.float8, .float4], as: Double.self)
        if cell.dataType == .float4 {
            guard let bits = BinaryCoding.integer(UInt32.self, from: bytes) else { throw cell.invalidValue(Double.self) }
            return Double(Float(bitPattern: bits))
        }
        guard let bits = BinaryCoding.integer(UInt64.self, from: bytes) else { throw cell.invalidValue(Double.self) }
        return Double(bitPattern: bits)
    }
}

extension String: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .text }

    /// UTF-8 bytes; a NUL character is rejected here, because PostgreSQL text cannot hold it.
    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? {
        try CString.check(self, field: "text parameter")
        return Array(utf8)
    }

    /// Decodes `text`, `varchar`, `bpchar` and `name`; invalid UTF-8 is an error, not repaired.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> String {
        let bytes = try cell.bytes(accepting: [.text, .varchar, .bpchar, .name], as: String.self)
        guard let string = String(validating: bytes, as: UTF8.self) else { throw cell.invalidValue(String.self) }
        return string
    }
}
