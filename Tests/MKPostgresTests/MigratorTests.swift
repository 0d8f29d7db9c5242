import Foundation
import MKPostgres
import MKTestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    let migrations = [
        PostgresMigration(version: 1, name: "0001_create_items", sql: "CREATE TABLE items (id int8 PRIMARY KEY);"),
        PostgresMigration(
            version: 2, name: "0002_seed", sql: "INSERT INTO items VALUES (1); CREATE INDEX items_id ON items (id);"),
    ]

    @Test func migrationsApplyOnceAndRerunIsANoOp() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgmig") { database in
            try await database.withClient { client in
                let migrator = try PostgresMigrator(schema: database.schema, migrations: migrations)
                let firstRun = try await migrator.migrate(client).map(\.version)
                #expect(firstRun == [1, 2])
                let secondRun = try await migrator.migrate(client)
                #expect(secondRun.isEmpty)
                let items = try await client.query("SELECT count(*) FROM items").single(Int64.self)
                #expect(items == 1)
                let recorded = try await client.query(
                    "SELECT version, name FROM \(identifier: database.schema).schema_migrations ORDER BY version"
                ).decode((Int64, String).self)
                #expect(recorded.map(\.0) == [1, 2])
                #expect(recorded.map(\.1) == ["0001_create_items", "0002_seed"])
            }
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgmigrace") { database in
            let migrator = try PostgresMigrator(schema: database.schema, migrations: migrations)
            let applied = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<3 {
                    group.addTask { try await database.withClient { try await migrator.migrate($0).map(\.version) } }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(applied.sorted() == [1, 2])
            let rows = try await database.withClient { client in
                try await client.query("SELECT count(*) FROM items").single(Int64.self)
            }
            #expect(rows == 1)
        }
    }

    @Test func changedMigrationIsRejected() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgmigsum") { database in
            try await database.withClient { client in
                try await PostgresMigrator(schema: database.schema, migrations: migrations).migrate(client)
                var changed = migrations
                changed[0].sql = "CREATE TABLE items (id int8 PRIMARY KEY, extra text);"
                let error = await #expect(throws: PostgresError.self) {
                    try await PostgresMigrator(schema: database.schema, migrations: changed).migrate(client)
                }
                #expect(error?.code == .migrationMismatch)
            }
        }
    }

    @Test func failingMigrationLeavesNoTrace() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pgmigfail") { database in
            try await database.withClient { client in
                let broken = migrations + [
                    PostgresMigration(version: 3, name: "0003_broken", sql: "CREATE TABLE half (id int); SELECT 1/0;")
                ]
                await #expect(throws: PostgresError.self) {
                    try await PostgresMigrator(schema: database.schema, migrations: broken).migrate(client)
                }
                let versions = try await client.query(
                    "SELECT version FROM \(identifier: database.schema).schema_migrations ORDER BY version"
                ).decode(Int64.self)
                #expect(versions == [1, 2])
                let observed = try await client.query("SELECT to_regclass('half') IS NULL").single(Bool.self)
                #expect(observed)
            }
        }
    }

    @Test func migrationFilesLoadInVersionOrder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mkpg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "SELECT 2;".write(to: directory.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: directory.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let loaded = try PostgresMigration.load(from: directory)
        #expect(loaded.map(\.version) == [1, 2])
        #expect(loaded.map(\.name) == ["0001_first", "0002_second"])
        #expect(loaded.first?.sql == "SELECT 1;")
    }
}
