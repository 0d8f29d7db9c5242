public import MKPostgres

extension EnvironmentSettings {
    /// The service's database from `DATABASE_URL` (see ``PostgresConfiguration/init(url:)``);
    /// required. The error names the variable and the problem, never the URL (it holds a password).
    public func database(_ name: String = PostgresConfiguration.environmentVariable) throws -> PostgresConfiguration {
        let url = try string(name)
        do {
            return try PostgresConfiguration(url: url)
        } catch {
            throw ConfigurationError(setting: name, problem: "is not a usable PostgreSQL URL: \(error)")
        }
    }
}
