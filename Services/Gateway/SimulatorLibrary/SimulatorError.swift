/// The gateway refused a simulator request: its status and the JSON error body it sent.
public struct SimulatorError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public var status: Int
    /// The error body, as text.
    public var body: String

    /// Creates an error.
    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }

    public var description: String { "HTTP \(status): \(body)" }
}
