public import Foundation

extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .uuid }

    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? { withUnsafeBytes(of: uuid) { Array($0) } }

    /// Decodes `uuid`.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> UUID {
        let bytes = try cell.bytes(accepting: [.uuid], as: UUID.self)
        guard bytes.count == 16 else { throw cell.invalidValue(UUID.self) }
        return UUID(uuid: bytes.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) })
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// Microseconds between PostgreSQL's epoch (2000-01-01) and Foundation's (2001-01-01).
    private static let postgresEpochOffset: Int64 = 31_622_400_000_000

    public static var postgresDataType: PostgresDataType { .timestamptz }

    /// `timestamptz` at microsecond precision (PostgreSQL's), rounded to the nearest microsecond.
    /// Computed from the reference date, not 1970, so no precision is lost on the way.
    public func postgresBinaryValue() throws(PostgresError) -> [UInt8]? {
        let micros = (timeIntervalSinceReferenceDate * 1_000_000).rounded()
        guard let value = Int64(exactly: micros) else {
            throw PostgresError(.invalidParameter, reason: "date outside the timestamptz range")
        }
        return BinaryCoding.bytes(of: value + Self.postgresEpochOffset)
    }

    /// Decodes `timestamptz` (and `timestamp`, read as UTC); `±infinity` become `distantFuture`/`distantPast`.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Date {
        let bytes = try cell.bytes(accepting: [.timestamptz, .timestamp], as: Date.self)
        guard let micros = BinaryCoding.integer(Int64.self, from: bytes) else { throw cell.invalidValue(Date.self) }
        switch micros {
        case .max: return .distantFuture
        case .min: return .distantPast
        default: return Date(timeIntervalSinceReferenceDate: Double(micros - postgresEpochOffset) / 1_000_000)
        }
    }
}
