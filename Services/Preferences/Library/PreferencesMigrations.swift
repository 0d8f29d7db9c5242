internal import Foundation
internal import MKEvents
public import MKPostgres

/// The Preferences schema: its SQL files (`Migrations/NNNN_name.sql`, resources of this module)
/// plus the event inbox of ``EventInboxSchema`` as migration 2.
public enum PreferencesMigrations {
    /// The schema the service owns.
    public static let schema = "preferences"

    /// Every migration, in version order.
    public static func all() throws -> [PostgresMigration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.migrationMismatch, reason: "the preferences migration files are missing from the bundle")
        }
        let migrations = try PostgresMigration.load(from: directory) + [EventInboxSchema.migration(version: 2)]
        return migrations.sorted { $0.version < $1.version }
    }

    /// Applies the pending migrations to `schema` (the service's own by default; tests pass an
    /// isolated one). Safe from several replicas at once; returns the migrations applied now.
    @discardableResult
    public static func apply(to client: PostgresClient, schema: String = schema) async throws -> [PostgresMigration] {
        try await PostgresMigrator(schema: schema, migrations: all()).migrate(client)
    }
}
