public import MKPostgres

/// A test's own role and schema: the role owns the schema and reaches nothing else.
public struct IsolatedSchema: Sendable {
    /// The schema's name (also the role's search path).
    public let schema: String
    /// The role's name.
    public let role: String
    /// Connects as the role.
    public let configuration: PostgresConfiguration

    /// Runs `body` with a client logged in as the role, shutting it down afterwards.
    public func withClient<Result>(_ body: (PostgresClient) async throws -> Result) async throws -> Result {
        try await TestDatabase.withClient(configuration, body)
    }

    /// Drops the schema (cascade) and the role.
    public func drop() async throws {
        try await TestDatabase.withClient(try TestDatabase.adminConfiguration()) { client in
            try await PostgresProvisioner(admin: client).dropServiceRole(role: role, schema: schema)
        }
    }
}
