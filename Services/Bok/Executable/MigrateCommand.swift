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
        let database: PostgresConfiguration
        do {
            database = try PostgresConfiguration(url: try environment.string(PostgresConfiguration.environmentVariable))
        } catch let error as PostgresError {
            throw ConfigurationError(setting: "DATABASE_URL", problem: "is not a usable PostgreSQL URL: \(error)")
        }
        _ = ProcessBootstrap.bootstrap(logLevel: try ProcessBootstrap.logLevel(try environment.string("LOG_LEVEL", default: "info")))
        let logger = Logger(label: "bok")
        let client = PostgresClient(configuration: database, logger: logger)
        do {
            let applied = try await BokMigrations.apply(to: client)
            logger.info("migrations applied", metadata: ["applied": "\(applied.map(\.name))"])
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
