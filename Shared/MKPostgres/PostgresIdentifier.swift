/// Validates and quotes SQL identifiers (schema, role, table names) that cannot be bind parameters.
///
/// Only `^[a-z_][a-z0-9_]{0,62}$` is accepted: lower case so the quoted and unquoted spellings name
/// the same object, at most 63 bytes so PostgreSQL does not truncate it into another name.
public enum PostgresIdentifier {
    /// Throws ``PostgresError/Code/invalidParameter`` unless `name` is a plain lower-case identifier.
    public static func validate(_ name: String) throws(PostgresError) {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63, isStart(first), bytes.allSatisfy(isPart) else {
            throw PostgresError(.invalidParameter, reason: "not a valid identifier (^[a-z_][a-z0-9_]{0,62}$)")
        }
    }

    /// The identifier validated and double-quoted, ready to splice into SQL text.
    public static func quoted(_ name: String) throws(PostgresError) -> String {
        try validate(name)
        return "\"\(name)\""
    }

    private static func isStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_")
    }

    private static func isPart(_ byte: UInt8) -> Bool {
        isStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
