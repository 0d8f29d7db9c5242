import Foundation
import MKEvents
import MKMessages
import MKPostgres
import MKTestSupport

/// A schema holding a producer's outbox and a consumer's inbox plus an `effect` table the test
/// consumer writes, so one database client sees both sides.
enum EventsFixture {
    static let migrations = [
        OutboxSchema.migration(version: 1),
        EventInboxSchema.migration(version: 2),
        PostgresMigration(
            version: 3, name: "0003_effect",
            sql: """
                CREATE TABLE effect (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    event_id uuid NOT NULL,
                    subject text NOT NULL,
                    sequence bigint NOT NULL
                );
                """),
        OutboxSchema.eventTypesMigration(version: 4),
    ]

    static func with(_ body: (PostgresClient) async throws -> Void) async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "events") { isolated in
            try await isolated.withClient { client in
                _ = try await PostgresMigrator(schema: isolated.schema, migrations: migrations).migrate(client)
                try await body(client)
            }
        }
    }

    /// A signed-in event for `subject`.
    static func event(subject: String) -> Mk_Events_V1_Event {
        var event = Mk_Events_V1_Event()
        event.eventId = UUID().uuidString.lowercased()
        event.type = .signedIn
        event.subject = subject
        event.producer = "test"
        event.signedIn = Mk_Events_V1_SignedIn(means: "EOP", deviceId: "", origin: "")
        return event
    }
}
