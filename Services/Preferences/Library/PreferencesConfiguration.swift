/// The service's tunable limits.
public struct PreferencesConfiguration: Sendable {
    /// Informative notifications one authority may send per hour (`AUTHORITY_QUOTA_PER_HOUR`).
    public var authorityQuotaPerHour: Int

    /// Creates a configuration.
    public init(authorityQuotaPerHour: Int = 10_000) {
        self.authorityQuotaPerHour = authorityQuotaPerHour
    }
}
