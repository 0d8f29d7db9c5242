/// A failed call as it crosses the wire: a status code, a message safe to show the caller, and an
/// optional machine-readable reason (`LAST_MEANS`).
///
/// Handlers throw it (or an ``RPCErrorConvertible``); any other error reaches the caller as
/// INTERNAL with no detail, and its detail goes to the server's log.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status code; never ``RPCStatusCode/ok``.
    public var code: RPCStatusCode
    /// Human-readable, safe to show; never contains secrets or personal data.
    public var message: String
    /// Machine-readable reason in UPPER_SNAKE case, or empty.
    public var reason: String

    /// Creates an error.
    public init(_ code: RPCStatusCode, _ message: String, reason: String = "") {
        self.code = code
        self.message = message
        self.reason = reason
    }

    public var description: String {
        reason.isEmpty ? "\(code): \(message)" : "\(code) [\(reason)]: \(message)"
    }
}

/// A domain error that knows its wire status.
public protocol RPCErrorConvertible: Error {
    /// The status the caller receives.
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    public var rpcError: RPCError { self }
}
