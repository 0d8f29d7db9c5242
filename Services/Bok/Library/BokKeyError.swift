/// A pepper or HPKE key that cannot be used; the message never contains key material.
public struct BokKeyError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(_ problem: String) {
        self.problem = problem
    }

    public var description: String { problem }
}
