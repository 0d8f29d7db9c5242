public import Logging
public import MKPostgres

/// A service's connection pool whose schema has been brought up to date: what `serve` starts
/// with and what `migrate` does before it exits.
public enum MigratedDatabase {
    /// Opens a pool over `configuration` and applies the schema's pending migrations with
    /// `migrate`; when migrating fails, the pool is shut down before the error is rethrown, so a
    /// failed start leaves no connection behind.
    public static func open(
        _ configuration: PostgresConfiguration,
        logger: Logger,
        migrate: (PostgresClient) async throws -> [PostgresMigration]
    ) async throws -> PostgresClient {
        let client = PostgresClient(configuration: configuration, logger: logger)
        do {
            let applied = try await migrate(client)
            logger.info("migrations applied", metadata: ["applied": "\(applied.map(\.name))"])
            return client
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Applies the pending migrations and closes the pool: the whole `migrate` subcommand.
    public static func migrateAndClose(
        _ configuration: PostgresConfiguration,
        logger: Logger,
        migrate: (PostgresClient) async throws -> [PostgresMigration]
    ) async throws {
        let client = try await open(configuration, logger: logger, migrate: migrate)
        await client.shutdown()
    }
}
