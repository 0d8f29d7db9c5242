/// A failure inside the service (configuration, hashing); reaches the caller as INTERNAL with no
/// detail. The message never holds a secret.
struct BokInternalError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    var problem: String

    init(_ problem: String) {
        self.problem = problem
    }

    var description: String { problem }
}
