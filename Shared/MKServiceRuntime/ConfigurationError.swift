/// A setting is missing or malformed; the message names the setting, never a secret's value.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// The environment variable (or flag) at fault.
    public var setting: String
    /// What is wrong with it.
    public var problem: String

    /// Creates an error about `setting`.
    public init(setting: String, problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "\(setting): \(problem)" }
}
