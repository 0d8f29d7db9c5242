import Foundation
import MKPostgres
import Testing

/// The notification's unique keys, whose indexes hold only the rows that have a key (migration 6).
@Suite("Notification keys")
struct NotificationKeysTests {
    @Test func anAuthoritysKeyAndADedupKeyStayUniqueAndRowsWithoutThemNeverConflict() async throws {
        try await PreferencesFixture.with { fixture in
            func insert(authority: String?, key: String?, dedup: String?) async throws {
                try await fixture.database.execute("""
                    INSERT INTO notification (id, subject, kind, authority_id, idempotency_key, dedup_key, title,
                                              body, sms_text, created_at)
                    VALUES (\(UUID()), 'citizen-1', 1, \(authority), \(key), \(dedup), 'Titulek', 'Text', 'SMS',
                            \(Date()))
                    """)
            }
            // Rows with one key or none, as informative notifications and notices are written, and an
            // authority's key used by another authority too.
            try await insert(authority: "ossz", key: "k-1", dedup: nil)
            try await insert(authority: nil, key: nil, dedup: "login:e-1")
            try await insert(authority: nil, key: nil, dedup: nil)
            try await insert(authority: nil, key: nil, dedup: nil)
            try await insert(authority: "mvcr", key: "k-1", dedup: nil)
            let before = try await fixture.snapshot()

            let repeatedKey = await #expect(throws: PostgresError.self) {
                try await insert(authority: "ossz", key: "k-1", dedup: nil)
            }
            #expect(repeatedKey?.isUniqueViolation == true)
            #expect(repeatedKey?.constraintName == "notification_idempotency_key")
            let repeatedDedup = await #expect(throws: PostgresError.self) {
                try await insert(authority: nil, key: nil, dedup: "login:e-1")
            }
            #expect(repeatedDedup?.isUniqueViolation == true)
            #expect(repeatedDedup?.constraintName == "notification_dedup_key")
            #expect(try await fixture.snapshot() == before)
        }
    }
}
