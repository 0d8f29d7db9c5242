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
        try await MigratedDatabase.migrateAndClose(settings.database, logger: Logger(label: "preferences")) {
            try await PreferencesMigrations.apply(to: $0)
        }
    }
}
