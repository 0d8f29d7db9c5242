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
        try await MigratedDatabase.migrateAndClose(settings.database, logger: Logger(label: "device-registry")) {
            try await DeviceRegistryMigrations.apply(to: $0)
        }
    }
}
