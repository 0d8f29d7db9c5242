extension EnvironmentSettings {
    /// The event subscribers a producer's relay delivers to, from items separated by commas:
    /// `name=host:port` takes every event type, `name=host:port/TYPE+TYPE` only those types
    /// (`preferences=127.0.0.1:7201/DEVICE_PAIRED+DEVICE_RENAMED`); `eventType` turns a type's name
    /// into the type, or `nil` for a name it does not know. Names are 1 to 63 characters of `a-z`,
    /// `0-9`, `-` starting with a letter. Unset or empty means no subscribers.
    public func eventSubscribers<EventType: Hashable>(
        _ name: String = "EVENT_SUBSCRIBERS", eventType: (String) -> EventType?
    ) throws -> [(name: String, address: HostAndPort, eventTypes: Set<EventType>?)] {
        var result: [(name: String, address: HostAndPort, eventTypes: Set<EventType>?)] = []
        for item in try string(name, default: "").split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.filter { !$0.isWhitespace }.split(separator: "=", maxSplits: 1)
            let target =
                parts.count == 2 ? parts[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false) : []
            guard parts.count == 2, Self.isSubscriberName(parts[0]), let address = target.first,
                let address = HostAndPort(parsing: String(address))
            else {
                throw ConfigurationError(
                    setting: name,
                    problem: "must be name=host:port or name=host:port/TYPE+TYPE items separated by commas "
                        + "(names: a-z, 0-9, '-')")
            }
            guard !result.contains(where: { $0.name == parts[0] }) else {
                throw ConfigurationError(setting: name, problem: "names subscriber \(parts[0]) twice")
            }
            var eventTypes: Set<EventType>?
            if target.count == 2 {
                let names = target[1].split(separator: "+", omittingEmptySubsequences: false).map(String.init)
                let types = names.compactMap(eventType)
                guard types.count == names.count else {
                    let unknown = names.filter { eventType($0) == nil }.map { "'\($0)'" }.joined(separator: ", ")
                    throw ConfigurationError(
                        setting: name, problem: "subscriber \(parts[0]) names unknown event types: \(unknown)")
                }
                eventTypes = Set(types)
            }
            result.append((String(parts[0]), address, eventTypes))
        }
        return result
    }

    private static func isSubscriberName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase, name.count <= 63 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
