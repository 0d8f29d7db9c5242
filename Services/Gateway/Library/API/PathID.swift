internal import Hummingbird

/// Ids taken from paths: a malformed id answers exactly like an unknown one.
enum PathID {
    /// The canonical lowercase UUID in parameter `name`, or ``GatewayError/notFound``.
    static func uuid(_ context: GatewayRequestContext, _ name: String = "id") throws -> String {
        guard let text = context.parameters.get(name), isUUID(text) else { throw GatewayError.notFound }
        return text
    }

    /// True for a canonical lowercase UUID.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                else { return false }
            }
        }
        return true
    }
}
