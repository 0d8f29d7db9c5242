/// A type whose Swift arrays map to one PostgreSQL type: `[String]` to `text[]`, `[UUID]` to
/// `uuid[]`, `[Int64]` to `int8[]`, `[Bool]` to `bool[]`, `[Date]` to `timestamptz[]`, `[UInt8]`
/// to `bytea` and `[[UInt8]]` to `bytea[]`.
///
/// One protocol carries all of them because Swift allows `Array` only one conformance to
/// ``PostgresEncodable``; the element type picks the format.
public protocol PostgresArrayElement {
    /// The PostgreSQL type of `[Self]`.
    static var postgresArrayDataType: PostgresDataType { get }

    /// `[Self]` in PostgreSQL's binary format.
    static func postgresBinaryValue(of elements: [Self]) throws(PostgresError) -> [UInt8]

    /// Decodes `[Self]` from a cell of ``postgresArrayDataType``.
    static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Self]
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { Element.postgresArrayDataType }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? {
        try Element.postgresBinaryValue(of: self)
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Decodes the array type of `Element`.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> [Element] {
        try Element.decodeArray(from: cell)
    }
}
