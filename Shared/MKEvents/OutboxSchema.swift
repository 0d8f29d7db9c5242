public import MKPostgres
internal import Foundation

/// The SQL a producer service puts in its own migrations to get an outbox in its schema.
///
/// The tables are unqualified and land in the schema the migration runs in (the service's own):
/// - `outbox_event`: every event, packed, with its sequence number (drawn from `outbox_sequence`
///   inside the producing transaction);
/// - `outbox_subscriber`: the subscribers the relay delivers to, each with the event types it takes
///   (`event_types`, from ``eventTypesMigrationSQL``; NULL takes every type); a row per subscriber
///   is also the relay's lease (`SELECT … FOR NO KEY UPDATE SKIP LOCKED`), so one replica at a time
///   delivers to it;
/// - `outbox_pending`: what each subscriber has not acknowledged yet. An event appended before a
///   subscriber was registered, or of a type it does not take, is not delivered to it.
public enum OutboxSchema {
    /// `CREATE` statements for the outbox tables; run once, in a migration of the producer.
    public static let migrationSQL = """
        CREATE SEQUENCE outbox_sequence AS bigint;

        CREATE TABLE outbox_event (
            sequence bigint PRIMARY KEY,
            event_id uuid NOT NULL UNIQUE,
            subject text NOT NULL,
            event_type integer NOT NULL,
            payload bytea NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE INDEX outbox_event_created_at ON outbox_event (created_at);

        CREATE TABLE outbox_subscriber (
            name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
            registered_at timestamptz NOT NULL
        );

        CREATE TABLE outbox_pending (
            subscriber text NOT NULL REFERENCES outbox_subscriber (name) ON DELETE CASCADE,
            sequence bigint NOT NULL REFERENCES outbox_event (sequence) ON DELETE CASCADE,
            PRIMARY KEY (subscriber, sequence)
        );
        CREATE INDEX outbox_pending_sequence ON outbox_pending (sequence);
        """
}

extension OutboxSchema {
    /// Each subscriber's event types; run once, in a migration after ``migrationSQL``'s.
    public static let eventTypesMigrationSQL = "ALTER TABLE outbox_subscriber ADD COLUMN event_types integer[];"

    /// The outbox as a migration numbered `version` among the producer's own migrations.
    public static func migration(version: Int64) -> PostgresMigration {
        PostgresMigration(version: version, name: String(format: "%04d_outbox", version), sql: migrationSQL)
    }

    /// ``eventTypesMigrationSQL`` as a migration numbered `version` among the producer's own.
    public static func eventTypesMigration(version: Int64) -> PostgresMigration {
        PostgresMigration(
            version: version, name: String(format: "%04d_outbox_event_types", version), sql: eventTypesMigrationSQL)
    }
}
