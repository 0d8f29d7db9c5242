/// The service's tunable limits.
public struct PreferencesConfiguration: Sendable {
    /// Informative notifications one authority may send per hour (`AUTHORITY_QUOTA_PER_HOUR`).
    public var authorityQuotaPerHour: Int
    /// Rows the hourly quota's counter is spread over (`AUTHORITY_QUOTA_SLOTS`, 1...256): more
    /// slots let more notifications of one authority commit in parallel, and concurrent callers
    /// may overshoot the quota by at most `authorityQuotaSlots − 1` (see
    /// `PreferencesStore.checkQuota`). 1 enforces the quota exactly and serialises the sends. A
    /// transaction of a batch holds at most this many notifications of one authority; the default,
    /// 64, is `informativeBatchLimit`, so a full batch of one authority's calls is one transaction.
    public var authorityQuotaSlots: Int
    /// Whether a message landing in a key's inbox queues a push wake-up for the key's push token
    /// (`PUSH_ENABLED`). Off, nothing is queued and keys see new messages when the app reads.
    public var pushEnabled: Bool
    /// Concurrent `NotifyLogin` calls notified in one transaction at most.
    public var loginBatchLimit: Int
    /// Transactions notifying batches of `NotifyLogin` calls at once, at most.
    public var loginBatchLanes: Int
    /// Concurrent `SendInformative` calls taken in one batch at most (one transaction per
    /// `authorityQuotaSlots` notifications of one authority).
    public var informativeBatchLimit: Int
    /// Batches of `SendInformative` calls sent at once, at most.
    public var informativeBatchLanes: Int

    /// Creates a configuration.
    public init(
        authorityQuotaPerHour: Int = 10_000, authorityQuotaSlots: Int = 64, pushEnabled: Bool = false,
        loginBatchLimit: Int = 64, loginBatchLanes: Int = 1, informativeBatchLimit: Int = 64,
        informativeBatchLanes: Int = 2
    ) {
        precondition((1...256).contains(authorityQuotaSlots), "authorityQuotaSlots must be within 1...256")
        self.authorityQuotaPerHour = authorityQuotaPerHour
        self.authorityQuotaSlots = authorityQuotaSlots
        self.pushEnabled = pushEnabled
        self.loginBatchLimit = loginBatchLimit
        self.loginBatchLanes = loginBatchLanes
        self.informativeBatchLimit = informativeBatchLimit
        self.informativeBatchLanes = informativeBatchLanes
    }
}
