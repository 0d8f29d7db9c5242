import ArgumentParser
import DeviceRegistry
import Foundation
import Logging
import MKPostgres
import MKServiceRuntime

/// Applies the registry's pending migrations and exits (for a Kubernetes migration Job).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the database migrations of schema registry and exit.")

    func run() async throws {
        let settings = try DeviceRegistrySettings(environment: EnvironmentSettings(ProcessInfo.processInfo.environment))
        _ = ProcessBootstrap.bootstrap(logLevel: settings.logLevel)
        let logger = Logger(label: "device-registry")
        let client = PostgresClient(configuration: settings.database, logger: logger)
        do {
            let applied = try await DeviceRegistryMigrations.apply(to: client)
            logger.info("migrations applied", metadata: ["applied": "\(applied.map(\.name))"])
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
