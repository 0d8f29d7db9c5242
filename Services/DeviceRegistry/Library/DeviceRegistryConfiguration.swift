/// The registry's tunable limits.
public struct DeviceRegistryConfiguration: Sendable {
    /// Active keys a citizen may have at once (`MAX_ACTIVE_KEYS`, default 10).
    public var maximumActiveKeys: Int
    /// Concurrent `RecordUse` calls recorded in one transaction at most.
    public var signInBatchLimit: Int
    /// Transactions recording batches of `RecordUse` calls at once, at most.
    public var signInBatchLanes: Int

    /// Creates a configuration.
    public init(maximumActiveKeys: Int = 10, signInBatchLimit: Int = 64, signInBatchLanes: Int = 1) {
        self.maximumActiveKeys = maximumActiveKeys
        self.signInBatchLimit = signInBatchLimit
        self.signInBatchLanes = signInBatchLanes
    }
}
