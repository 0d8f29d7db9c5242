/// A call's outcome code, numerically identical to gRPC's status codes.
///
/// Extensible: a peer may send a number this build does not name; it is kept as is.
public struct RPCStatusCode: Hashable, Sendable, CustomStringConvertible {
    /// The gRPC status number.
    public let rawValue: UInt32

    /// Wraps a gRPC status number.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let ok = RPCStatusCode(rawValue: 0)
    public static let cancelled = RPCStatusCode(rawValue: 1)
    public static let unknown = RPCStatusCode(rawValue: 2)
    public static let invalidArgument = RPCStatusCode(rawValue: 3)
    public static let deadlineExceeded = RPCStatusCode(rawValue: 4)
    public static let notFound = RPCStatusCode(rawValue: 5)
    public static let alreadyExists = RPCStatusCode(rawValue: 6)
    public static let permissionDenied = RPCStatusCode(rawValue: 7)
    public static let resourceExhausted = RPCStatusCode(rawValue: 8)
    public static let failedPrecondition = RPCStatusCode(rawValue: 9)
    public static let aborted = RPCStatusCode(rawValue: 10)
    public static let outOfRange = RPCStatusCode(rawValue: 11)
    public static let unimplemented = RPCStatusCode(rawValue: 12)
    public static let `internal` = RPCStatusCode(rawValue: 13)
    public static let unavailable = RPCStatusCode(rawValue: 14)
    public static let dataLoss = RPCStatusCode(rawValue: 15)
    public static let unauthenticated = RPCStatusCode(rawValue: 16)

    private static let names: [UInt32: String] = [
        0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
        5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
        9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
        13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
    ]

    /// The gRPC name (`NOT_FOUND`), or `CODE_<n>` for a number this build does not know.
    public var description: String { Self.names[rawValue] ?? "CODE_\(rawValue)" }
}
