public import MKMessages

extension Mk_Events_V1_EventType {
    /// The types by their names in `mk.events.v1.EventType` without the `EVENT_TYPE_` prefix, as
    /// configuration names them (`EVENT_SUBSCRIBERS`).
    public static let byName: [String: Mk_Events_V1_EventType] = [
        "DEVICE_PAIRED": .devicePaired,
        "DEVICE_RENAMED": .deviceRenamed,
        "DEVICE_UNPAIRED": .deviceUnpaired,
        "SIGNED_IN": .signedIn,
        "BOK_OUTCOME": .bokOutcome,
    ]

    /// The type `name` names (``byName``), or `nil`.
    public init?(name: String) {
        guard let type = Self.byName[name] else { return nil }
        self = type
    }
}
