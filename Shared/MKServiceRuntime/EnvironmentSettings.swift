/// Typed, validated reading of a process's environment variables.
///
/// Every accessor throws ``ConfigurationError`` naming the variable when a value is malformed,
/// so a misconfigured process stops at start with a clear message instead of running wrongly.
public struct EnvironmentSettings: Sendable {
    private let values: [String: String]

    /// Reads from `values` (the process environment by default).
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// A string, or `defaultValue` when unset or empty.
    public func string(_ name: String, default defaultValue: String? = nil) throws -> String {
        if let value = values[name], !value.isEmpty {
            guard value.utf8.count <= 4096, !value.utf8.contains(0) else {
                throw ConfigurationError(setting: name, problem: "is longer than 4096 bytes or contains NUL")
            }
            return value
        }
        if let defaultValue { return defaultValue }
        throw ConfigurationError(setting: name, problem: "is required but not set")
    }

    /// A string, or `nil` when unset or empty.
    public func optionalString(_ name: String) throws -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return try string(name)
    }

    /// A `host:port` address.
    public func address(_ name: String, default defaultValue: String) throws -> HostAndPort {
        let text = try string(name, default: defaultValue)
        guard let address = HostAndPort(parsing: text) else {
            throw ConfigurationError(setting: name, problem: "must be host:port with a port from 0 to 65535")
        }
        return address
    }

    /// A whole number within `range`.
    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name], !text.isEmpty else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(
                setting: name, problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A duration in whole milliseconds within `range`.
    public func milliseconds(_ name: String, default defaultValue: Duration, in range: ClosedRange<Int>) throws
        -> Duration
    {
        guard values[name]?.isEmpty == false else { return defaultValue }
        return .milliseconds(try integer(name, default: 0, in: range))
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`).
    public func boolean(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let text = values[name]?.lowercased(), !text.isEmpty else { return defaultValue }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError(setting: name, problem: "must be true or false")
        }
    }
}
