/// A PostgreSQL type, identified by its OID; the built-in types this layer encodes and decodes are
/// listed as constants.
///
/// Bind parameters are sent with their OID so the server never has to guess a type, and result
/// columns are checked against the OID before any bytes are interpreted.
public struct PostgresDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The type's OID (`pg_type.oid`).
    public var rawValue: UInt32

    /// Creates a type from its OID.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `bool` (OID 16).
    public static let bool = PostgresDataType(rawValue: 16)
    /// `bytea` (OID 17).
    public static let bytea = PostgresDataType(rawValue: 17)
    /// `name` (OID 19).
    public static let name = PostgresDataType(rawValue: 19)
    /// `int8` (OID 20).
    public static let int8 = PostgresDataType(rawValue: 20)
    /// `int2` (OID 21).
    public static let int2 = PostgresDataType(rawValue: 21)
    /// `int4` (OID 23).
    public static let int4 = PostgresDataType(rawValue: 23)
    /// `text` (OID 25).
    public static let text = PostgresDataType(rawValue: 25)
    /// `float4` (OID 700).
    public static let float4 = PostgresDataType(rawValue: 700)
    /// `float8` (OID 701).
    public static let float8 = PostgresDataType(rawValue: 701)
    /// `bpchar` (OID 1042).
    public static let bpchar = PostgresDataType(rawValue: 1042)
    /// `varchar` (OID 1043).
    public static let varchar = PostgresDataType(rawValue: 1043)
    /// `timestamp` (OID 1114).
    public static let timestamp = PostgresDataType(rawValue: 1114)
    /// `timestamptz` (OID 1184).
    public static let timestamptz = PostgresDataType(rawValue: 1184)
    /// `uuid` (OID 2950).
    public static let uuid = PostgresDataType(rawValue: 2950)
    /// `boolArray` (OID 1000).
    public static let boolArray = PostgresDataType(rawValue: 1000)
    /// `int8Array` (OID 1016).
    public static let int8Array = PostgresDataType(rawValue: 1016)
    /// `textArray` (OID 1009).
    public static let textArray = PostgresDataType(rawValue: 1009)
    /// `uuidArray` (OID 2951).
    public static let uuidArray = PostgresDataType(rawValue: 2951)
    /// `byteaArray` (OID 1001).
    public static let byteaArray = PostgresDataType(rawValue: 1001)
    /// `timestamptzArray` (OID 1185).
    public static let timestamptzArray = PostgresDataType(rawValue: 1185)

    /// The type's SQL name, or its OID for types not listed here.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .bytea: "bytea"
        case .name: "name"
        case .int8: "int8"
        case .int2: "int2"
        case .int4: "int4"
        case .text: "text"
        case .float4: "float4"
        case .float8: "float8"
        case .bpchar: "bpchar"
        case .varchar: "varchar"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .uuid: "uuid"
        case .boolArray: "bool[]"
        case .int8Array: "int8[]"
        case .textArray: "text[]"
        case .uuidArray: "uuid[]"
        case .byteaArray: "bytea[]"
        case .timestamptzArray: "timestamptz[]"
        default: "oid \(rawValue)"
        }
    }
}
