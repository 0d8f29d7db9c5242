/// Why a protocol message could not be encoded or decoded.
///
/// The description names the message and field, never the field's content.
public struct ProtoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; extensible, so switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The bytes are not a valid packed message of the expected type.
        public static let malformed = Code("malformed")
        /// A string field holds bytes that are not UTF-8.
        public static let invalidUTF8 = Code("invalid UTF-8")
        /// A string field holds a NUL character, which the C layer cannot represent.
        public static let interiorNUL = Code("interior NUL")
        /// Memory for the message could not be allocated.
        public static let outOfMemory = Code("out of memory")
        /// The destination buffer is smaller than the packed message.
        public static let bufferTooSmall = Code("buffer too small")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// The fully qualified message name.
    public var message: String
    /// The field's name, when one field is to blame; empty otherwise.
    public var field: String

    /// Creates an error for `message` (and `field`, when one field is to blame).
    public init(_ code: Code, message: String, field: String = "") {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        field.isEmpty ? "\(message): \(code)" : "\(message).\(field): \(code)"
    }
}
