extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresDataType: PostgresDataType { Wrapped.postgresDataType }

    /// `nil` is sent as SQL NULL, typed as `Wrapped`'s type.
    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? {
        guard let self else { return nil }
        return try self.postgresBinaryValue()
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// NULL decodes as `nil`; the column type is still checked when it is not NULL.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Wrapped? {
        guard cell.bytes != nil else { return nil }
        return try Wrapped.decode(from: cell)
    }
}
