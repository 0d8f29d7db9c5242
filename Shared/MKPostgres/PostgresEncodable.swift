/// A Swift value that can be sent to PostgreSQL as a binary-format bind parameter.
///
/// Conform your own types by choosing the PostgreSQL type and producing its binary (`*send`) form.
/// Throw ``PostgresError/Code/invalidParameter`` for values the server must never see.
public protocol PostgresEncodable {
    /// The type the parameter is declared as; the statement is prepared with it.
    static var postgresDataType: PostgresDataType { get }

    /// The value in PostgreSQL's binary format, or `nil` for SQL NULL.
    func postgresBinaryValue() throws(PostgresError) -> [UInt8]?
}
