import ArgumentParser
import Foundation
import Logging
import MKPostgres
import MKServiceRuntime
import Preferences

/// Applies the service's pending migrations and exits (for a Kubernetes migration Job).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the database migrations of schema preferences and exit.")

    func run() async throws {
        let settings = try PreferencesSettings(environment: EnvironmentSettings(ProcessInfo.processInfo.environment))
        _ = ProcessBootstrap.bootstrap(logLevel: settings.logLevel)
        let logger = Logger(label: "preferences")
        let client = PostgresClient(configuration: settings.database, logger: logger)
        do {
            let applied = try await PreferencesMigrations.apply(to: client)
            logger.info("migrations applied", metadata: ["applied": "\(applied.map(\.name))"])
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
