extension Int16: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int2 }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { BinaryCoding.bytes(of: self) }

    /// Decodes `int2`.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Int16 {
        try BinaryCoding.decodeInteger(Int16.self, from: cell)
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int4 }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { BinaryCoding.bytes(of: self) }

    /// Decodes `int4`, and `int2` which always fits.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Int32 {
        try BinaryCoding.decodeInteger(Int32.self, from: cell)
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int8 }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { BinaryCoding.bytes(of: self) }

    /// Decodes `int8`, and `int2`/`int4` which always fit.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Int64 {
        try BinaryCoding.decodeInteger(Int64.self, from: cell)
    }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .int8 }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { BinaryCoding.bytes(of: Int64(self)) }

    /// Decodes `int8`, `int4` and `int2`.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Int {
        Int(try BinaryCoding.decodeInteger(Int64.self, from: cell))
    }
}
