extension PostgresError {
    /// The kind of a ``PostgresError``; extensible, so match the cases you handle and treat the rest
    /// as unexpected.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// A stable, log-friendly name.
        public var rawValue: String

        /// Creates a code from its name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The configuration is malformed (bad URL, unknown option, invalid value).
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// A new connection could not be established (server down, refused, authentication).
        public static let connectionFailed = Code(rawValue: "connectionFailed")
        /// An established connection broke while it was being used.
        public static let connectionClosed = Code(rawValue: "connectionClosed")
        /// The server rejected a statement; see ``PostgresError/sqlState``.
        public static let server = Code(rawValue: "server")
        /// No connection became free within the acquire timeout.
        public static let poolTimeout = Code(rawValue: "poolTimeout")
        /// The client has been shut down.
        public static let clientClosed = Code(rawValue: "clientClosed")
        /// The awaiting task was cancelled; a running statement was cancelled on the server too.
        public static let cancelled = Code(rawValue: "cancelled")
        /// The server cancelled the statement without our asking: `statement_timeout` (SQLSTATE 57014).
        public static let statementTimeout = Code(rawValue: "statementTimeout")
        /// A column's type does not match the Swift type it was decoded as.
        public static let typeMismatch = Code(rawValue: "typeMismatch")
        /// A column was NULL but decoded as a non-optional type.
        public static let unexpectedNull = Code(rawValue: "unexpectedNull")
        /// A column's bytes are not a valid binary value of its type.
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// A bind parameter or identifier was rejected before it reached libpq.
        public static let invalidParameter = Code(rawValue: "invalidParameter")
        /// The result had a different number of rows or columns than the caller asked for.
        public static let unexpectedShape = Code(rawValue: "unexpectedShape")
        /// `COMMIT` found the transaction already failed, so the server rolled it back.
        public static let transactionRolledBack = Code(rawValue: "transactionRolledBack")
        /// A statement of a one-transaction pipeline was skipped because one before it failed.
        public static let notRun = Code(rawValue: "notRun")
        /// A connection was used after the scope that lent it ended.
        public static let connectionOutOfScope = Code(rawValue: "connectionOutOfScope")
        /// An applied migration's SQL no longer matches what was applied, or the set is malformed.
        public static let migrationMismatch = Code(rawValue: "migrationMismatch")

        public var description: String { rawValue }
    }
}
