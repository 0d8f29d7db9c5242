/// A SQL statement whose values travel separately from its text.
///
/// Every interpolated value becomes a `$n` bind parameter: `"SELECT … WHERE id = \(id)"`. Raw text
/// enters only through `\(identifier: name)` (validated and quoted) or `\(unsafeSQL: text)`, which
/// is named to stand out in review. An encoding failure (a NUL in a string) is kept and thrown when
/// the query runs, before anything reaches libpq.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1…$n` placeholders; contains no values.
    public private(set) var sql: String
    /// The parameters, in placeholder order.
    var binds: [PostgresBind]
    /// The first error met while building the query.
    var buildError: PostgresError?

    /// Creates a query from text that contains no values, only placeholders you bind yourself.
    public init(unsafeSQL sql: String) {
        self.sql = sql
        self.binds = []
    }

    /// Creates a query from a literal without interpolations.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// Creates a query from an interpolated literal; see ``StringInterpolation``.
    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
        self.buildError = stringInterpolation.buildError
    }

    /// The SQL text only; parameter values are never printed.
    public var description: String { sql }

    /// Throws the first error met while the query was built.
    func checked() throws(PostgresError) -> PostgresQuery {
        if let buildError { throw buildError }
        return self
    }
}
