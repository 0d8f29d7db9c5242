public import Foundation

extension UInt8: PostgresArrayElement {
    /// `[UInt8]` is `bytea`, the raw bytes, zero bytes included.
    public static var postgresArrayDataType: PostgresDataType { .bytea }

    public static func postgresBinaryValue(of elements: [UInt8]) throws(PostgresError) -> [UInt8] { elements }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [UInt8] {
        Array(try cell.bytes(accepting: [.bytea], as: [UInt8].self))
    }
}

extension String: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .textArray }

    public static func postgresBinaryValue(of elements: [String]) throws(PostgresError) -> [UInt8] {
        try PostgresArrayFormat.encode(elements, elementType: .text)
    }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [String] {
        try PostgresArrayFormat.decode(from: cell, accepting: [.textArray], elementType: .text)
    }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .uuidArray }

    public static func postgresBinaryValue(of elements: [UUID]) throws(PostgresError) -> [UInt8] {
        try PostgresArrayFormat.encode(elements, elementType: .uuid)
    }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [UUID] {
        try PostgresArrayFormat.decode(from: cell, accepting: [.uuidArray], elementType: .uuid)
    }
}

extension Int64: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .int8Array }

    public static func postgresBinaryValue(of elements: [Int64]) throws(PostgresError) -> [UInt8] {
        try PostgresArrayFormat.encode(elements, elementType: .int8)
    }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Int64] {
        try PostgresArrayFormat.decode(from: cell, accepting: [.int8Array], elementType: .int8)
    }
}

extension Bool: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .boolArray }

    public static func postgresBinaryValue(of elements: [Bool]) throws(PostgresError) -> [UInt8] {
        try PostgresArrayFormat.encode(elements, elementType: .bool)
    }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Bool] {
        try PostgresArrayFormat.decode(from: cell, accepting: [.boolArray], elementType: .bool)
    }
}

extension Date: PostgresArrayElement {
    public static var postgresArrayDataType: PostgresDataType { .timestamptzArray }

    public static func postgresBinaryValue(of elements: [Date]) throws(PostgresError) -> [UInt8] {
        try PostgresArrayFormat.encode(elements, elementType: .timestamptz)
    }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Date] {
        try PostgresArrayFormat.decode(from: cell, accepting: [.timestamptzArray], elementType: .timestamptz)
    }
}

/// `[[UInt8]]` is `bytea[]`: the elements are byte strings, as `[UInt8]` alone is `bytea`.
extension Array: PostgresArrayElement where Element == UInt8 {
    public static var postgresArrayDataType: PostgresDataType { .byteaArray }

    public static func postgresBinaryValue(of elements: [[UInt8]]) throws(PostgresError) -> [UInt8] {
        try PostgresArrayFormat.encode(elements, elementType: .bytea)
    }

    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [[UInt8]] {
        try PostgresArrayFormat.decode(from: cell, accepting: [.byteaArray], elementType: .bytea)
    }
}
