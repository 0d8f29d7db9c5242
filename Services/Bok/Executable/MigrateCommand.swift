import ArgumentParser
import Bok
import Foundation
import Logging
import MKPostgres
import MKServiceRuntime

/// Applies the BOK schema's pending migrations and exits (for a Kubernetes migration Job). Needs
/// only `DATABASE_URL` (and `LOG_LEVEL`), not the service's secrets.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the database migrations of schema bok and exit.")

    func run() async throws {
        let environment = EnvironmentSettings(ProcessInfo.processInfo.environment)
        let database = try environment.database()
        _ = ProcessBootstrap.bootstrap(
            logLevel: try ProcessBootstrap.logLevel(try environment.string("LOG_LEVEL", default: "info")))
        try await MigratedDatabase.migrateAndClose(database, logger: Logger(label: "bok")) {
            try await BokMigrations.apply(to: $0)
        }
    }
}
