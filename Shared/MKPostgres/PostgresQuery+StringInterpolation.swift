extension PostgresQuery {
    /// Builds a ``PostgresQuery``: literal text is SQL, interpolated values are bind parameters.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql = ""
        var binds: [PostgresBind] = []
        var buildError: PostgresError?

        /// Creates an empty builder; called by the compiler.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends SQL text written in the source code.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends a bind parameter (`$n`) carrying `value`.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            appendBind(value)
        }

        /// Appends a bind parameter (`$n`) carrying `value`, or a NULL of `Value`'s type.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            appendBind(value)
        }

        private mutating func appendBind<Value: PostgresEncodable>(_ value: Value) {
            do {
                binds.append(PostgresBind(dataType: Value.postgresDataType, bytes: try value.postgresBinaryValue()))
            } catch {
                buildError = buildError ?? error
                binds.append(PostgresBind(dataType: Value.postgresDataType, bytes: nil))
            }
            sql += "$\(binds.count)"
        }

        /// Appends a validated, double-quoted identifier (`^[a-z_][a-z0-9_]{0,62}$`), for the schema
        /// and role names that cannot be bind parameters.
        public mutating func appendInterpolation(identifier: String) {
            do {
                sql += try PostgresIdentifier.quoted(identifier)
            } catch {
                buildError = buildError ?? error
            }
        }

        /// Appends raw SQL text. Never pass anything derived from input: it is not escaped.
        public mutating func appendInterpolation(unsafeSQL text: String) {
            sql += text
        }
    }
}
