internal import Foundation
internal import MKEvents
public import MKPostgres

/// The registry's schema: its SQL files (`Migrations/NNNN_name.sql`, resources of this module)
/// plus the outbox tables of ``OutboxSchema`` as migration 2 and the subscribers' event types as
/// migration 4.
public enum DeviceRegistryMigrations {
    /// The schema the registry owns.
    public static let schema = "registry"

    /// Every migration, in version order.
    public static func all() throws -> [PostgresMigration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresError(.migrationMismatch, reason: "the registry's migration files are missing from the bundle")
        }
        let migrations = try PostgresMigration.load(from: directory) + [
            OutboxSchema.migration(version: 2), OutboxSchema.eventTypesMigration(version: 4),
        ]
        return migrations.sorted { $0.version < $1.version }
    }

    /// Applies the pending migrations to `schema` (the registry's own by default; tests pass an
    /// isolated one). Safe from several replicas at once; returns the migrations applied now.
    @discardableResult
    public static func apply(to client: PostgresClient, schema: String = schema) async throws -> [PostgresMigration] {
        try await PostgresMigrator(schema: schema, migrations: all()).migrate(client)
    }
}
