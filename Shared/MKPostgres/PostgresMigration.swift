public import Foundation

/// One SQL migration file, `NNNN_description.sql`: its version, name and text.
///
/// The text runs inside a transaction the migrator opens, so it must not contain `BEGIN`/`COMMIT`
/// or statements that refuse transactions (`CREATE INDEX CONCURRENTLY`).
public struct PostgresMigration: Sendable, Hashable {
    /// The number before the first underscore; migrations apply in ascending order.
    public var version: Int64
    /// The file name without extension, e.g. `0001_create_devices`.
    public var name: String
    /// The SQL text.
    public var sql: String

    /// Creates a migration.
    public init(version: Int64, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Loads every `NNNN_description.sql` file in `directory` (e.g. a SwiftPM resource folder),
    /// sorted by version. Other files are ignored; duplicate versions are an error.
    public static func load(from directory: URL) throws -> [PostgresMigration] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        var migrations: [PostgresMigration] = []
        for file in files where file.pathExtension == "sql" {
            let name = file.deletingPathExtension().lastPathComponent
            guard let prefix = name.split(separator: "_", maxSplits: 1).first,
                prefix.allSatisfy(\.isASCII), let version = Int64(prefix)
            else {
                throw PostgresError(.migrationMismatch, reason: "migration file \(name) does not start with a version")
            }
            let sql = try String(contentsOf: file, encoding: .utf8)
            migrations.append(PostgresMigration(version: version, name: name, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw PostgresError(.migrationMismatch, reason: "two migrations have version \(later.version)")
        }
        return migrations
    }
}
