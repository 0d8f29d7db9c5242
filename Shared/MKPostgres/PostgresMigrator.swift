/// Applies a service's migrations to its schema, each exactly once, safely from many replicas at once.
///
/// Progress is recorded in `<schema>.schema_migrations(version, name, checksum, applied_at)`. Each
/// pending migration runs in its own transaction holding `pg_advisory_xact_lock` keyed by the
/// schema, and re-checks the table under the lock, so two replicas starting together apply it once.
/// A migration whose SQL changed after it was applied stops the run (`migrationMismatch`). SQL runs
/// with `search_path` set to the schema only.
public struct PostgresMigrator: Sendable {
    /// The schema the migrations belong to.
    public let schema: String
    /// The migrations, in version order.
    public let migrations: [PostgresMigration]

    /// Namespaces the advisory lock so it cannot collide with locks taken for other purposes.
    private static let lockClass: Int32 = 0x4D4B_4D47

    /// Creates a migrator; the schema must be a plain identifier and versions unique.
    public init(schema: String, migrations: [PostgresMigration]) throws(PostgresError) {
        try PostgresIdentifier.validate(schema)
        let sorted = migrations.sorted { $0.version < $1.version }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.version == later.version {
            throw PostgresError(.migrationMismatch, reason: "two migrations have version \(later.version)")
        }
        self.schema = schema
        self.migrations = sorted
    }

    /// Applies the pending migrations and returns those this call applied (empty when up to date).
    @discardableResult
    public func migrate(_ client: PostgresClient) async throws -> [PostgresMigration] {
        var applied: [PostgresMigration] = []
        for migration in migrations where try await apply(migration, client: client) {
            applied.append(migration)
        }
        return applied
    }

    /// Applies one migration unless it already is; returns whether it was applied now.
    private func apply(_ migration: PostgresMigration, client: PostgresClient) async throws -> Bool {
        do {
            return try await client.withTransaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(schema)))")
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS \(identifier: schema).schema_migrations (
                        version bigint PRIMARY KEY,
                        name text NOT NULL,
                        checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """
                )
                let recorded = try await connection.query(
                    """
                    SELECT checksum = encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex')
                    FROM \(identifier: schema).schema_migrations WHERE version = \(migration.version)
                    """
                ).decodeFirst(Bool.self)
                if let matches = recorded {
                    guard matches else {
                        throw PostgresError(
                            .migrationMismatch,
                            reason: "migration \(migration.name) changed after it was applied to \(schema)"
                        )
                    }
                    return false
                }
                let quotedSchema = try PostgresIdentifier.quoted(schema)
                try await connection.simpleExecute(unsafeSQL: "SET LOCAL search_path TO \(quotedSchema)")
                try await connection.simpleExecute(unsafeSQL: migration.sql)
                try await connection.query(
                    """
                    INSERT INTO \(identifier: schema).schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """
                )
                return true
            }
        } catch let error as PostgresTransactionError where error.rollbackError == nil {
            // The rollback worked, so the cause is all the caller needs (e.g. `migrationMismatch`).
            throw error.underlying
        }
    }
}
