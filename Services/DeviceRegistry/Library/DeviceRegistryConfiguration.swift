/// The registry's tunable limits.
public struct DeviceRegistryConfiguration: Sendable {
    /// Active keys a citizen may have at once (`MAX_ACTIVE_KEYS`, default 10).
    public var maximumActiveKeys: Int

    /// Creates a configuration.
    public init(maximumActiveKeys: Int = 10) {
        self.maximumActiveKeys = maximumActiveKeys
    }
}
