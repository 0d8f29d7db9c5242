import Foundation
public import MKPostgres

/// The PostgreSQL cluster the tests run against, and fresh schemas on it.
///
/// `scripts/test.sh` starts a private cluster and exports its administrator URL as
/// `MK_TEST_DATABASE_URL`. Without it every database test fails with an explanation — a skipped
/// database test would let a broken layer pass CI.
public enum TestDatabase {
    /// The environment variable holding the administrator URL.
    public static let urlVariable = "MK_TEST_DATABASE_URL"

    /// The administrator configuration, or a clear error when the variable is missing.
    public static func adminConfiguration() throws -> PostgresConfiguration {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else {
            throw PostgresError(
                .invalidConfiguration,
                reason: "\(urlVariable) is not set: run scripts/test.sh, or export it to a superuser URL "
                    + "such as postgresql://postgres@127.0.0.1:5432/postgres"
            )
        }
        var configuration = try PostgresConfiguration(url: url)
        configuration.maximumConnections = 2
        // Hundreds of tests start at once and provisioning is serialised by an advisory lock: on a
        // busy 2-core machine the wait alone can pass the 10 s production default. A hang guard,
        // far from any timing a test distinguishes; tests of timeouts set their own.
        configuration.statementTimeout = .seconds(120)
        return configuration
    }

    /// Runs `body` with a client for `configuration`, shutting the client down afterwards.
    public static func withClient<Result>(
        _ configuration: PostgresConfiguration,
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Creates a uniquely named role and a schema it owns (through ``PostgresProvisioner``), so
    /// every test has its own data and tests run in parallel. Call ``IsolatedSchema/drop()`` after.
    public static func makeIsolatedSchema(prefix: String) async throws -> IsolatedSchema {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let name = "\(prefix)_\(suffix)"
        try PostgresIdentifier.validate(name)
        let admin = try adminConfiguration()
        // A quote in the password proves it is passed as a literal, not spliced into SQL.
        let password = "pw'\(suffix)"
        try await withClient(admin) { client in
            try await PostgresProvisioner(admin: client).ensureServiceRole(role: name, password: password, schema: name)
        }
        var configuration = admin
        configuration.user = name
        configuration.password = password
        configuration.maximumConnections = 4
        configuration.applicationName = name
        return IsolatedSchema(schema: name, role: name, configuration: configuration)
    }

    /// Runs `body` with a fresh isolated schema and drops it afterwards, also when `body` throws.
    public static func withIsolatedSchema<Result>(
        prefix: String,
        _ body: (IsolatedSchema) async throws -> Result
    ) async throws -> Result {
        let schema = try await makeIsolatedSchema(prefix: prefix)
        do {
            let result = try await body(schema)
            try await schema.drop()
            return result
        } catch {
            try? await schema.drop()
            throw error
        }
    }
}
