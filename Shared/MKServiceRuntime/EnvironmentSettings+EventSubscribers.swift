extension EnvironmentSettings {
    /// The event subscribers a producer's relay delivers to, from `name=host:port` pairs separated
    /// by commas (`preferences=127.0.0.1:7201`); names are 1 to 63 characters of `a-z`, `0-9`, `-`
    /// starting with a letter. Unset or empty means no subscribers.
    public func eventSubscribers(_ name: String = "EVENT_SUBSCRIBERS") throws -> [(name: String, address: HostAndPort)] {
        var result: [(name: String, address: HostAndPort)] = []
        for item in try string(name, default: "").split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.filter { !$0.isWhitespace }.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, Self.isSubscriberName(parts[0]),
                let address = HostAndPort(parsing: String(parts[1]))
            else {
                throw ConfigurationError(
                    setting: name, problem: "must be name=host:port pairs separated by commas (names: a-z, 0-9, '-')")
            }
            guard !result.contains(where: { $0.name == parts[0] }) else {
                throw ConfigurationError(setting: name, problem: "names subscriber \(parts[0]) twice")
            }
            result.append((String(parts[0]), address))
        }
        return result
    }

    private static func isSubscriberName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase, name.count <= 63 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
