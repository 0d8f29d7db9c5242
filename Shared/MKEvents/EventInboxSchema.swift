public import MKPostgres
internal import Foundation

/// The SQL a consumer service puts in its own migrations to apply each event id once.
public enum EventInboxSchema {
    /// `CREATE` statement for the `inbox_event` table, unqualified (the consumer's own schema).
    public static let migrationSQL = """
        CREATE TABLE inbox_event (
            event_id uuid PRIMARY KEY,
            producer text NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """
}

extension EventInboxSchema {
    /// The inbox as a migration numbered `version` among the consumer's own migrations.
    public static func migration(version: Int64) -> PostgresMigration {
        PostgresMigration(version: version, name: String(format: "%04d_event_inbox", version), sql: migrationSQL)
    }
}
