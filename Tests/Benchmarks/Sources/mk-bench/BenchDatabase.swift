import Logging
import MKPostgres

/// Roles, schemas and pools in the benchmark's private cluster, for the sections that run real
/// services (`bok`, `scale`): every service gets a role and schema of its own, as in production.
enum BenchDatabase {
    /// A pool logged in as the cluster's superuser (from `MK_BENCH_DATABASE_URL`), for
    /// provisioning and for seeding; `statementTimeout` bounds every statement it runs.
    static func admin(
        url: String, connections: Int = 2, statementTimeout: Duration = .seconds(60), logger: Logger
    ) throws -> PostgresClient {
        var configuration = try PostgresConfiguration(url: url)
        configuration.maximumConnections = connections
        configuration.statementTimeout = statementTimeout
        configuration.applicationName = "mk-bench-admin"
        return PostgresClient(configuration: configuration, logger: logger)
    }

    /// Provisions `role` with a schema of the same name — dropped first when `fresh`, so a run
    /// starts from an empty schema — and returns a pool of `connections` logged in as it.
    static func service(
        url: String, role: String, fresh: Bool, connections: Int, logger: Logger
    ) async throws -> PostgresClient {
        let password = "mkbench-\(UInt32.random(in: 0...UInt32.max))"
        let admin = try admin(url: url, logger: logger)
        do {
            let provisioner = PostgresProvisioner(admin: admin)
            if fresh { try await provisioner.dropServiceRole(role: role, schema: role) }
            try await provisioner.ensureServiceRole(role: role, password: password, schema: role)
            await admin.shutdown()
        } catch {
            await admin.shutdown()
            throw error
        }
        var configuration = try PostgresConfiguration(url: url)
        configuration.user = role
        configuration.password = password
        configuration.applicationName = "mk-bench"
        configuration.maximumConnections = connections
        return PostgresClient(configuration: configuration, logger: logger)
    }

    /// Runs `body` with `client`, shutting the pool down afterwards on every path.
    static func using<Result>(
        _ client: PostgresClient, _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
