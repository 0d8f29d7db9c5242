internal import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (or a query string).
struct FormFields: Sendable {
    private var values: [String: [String]] = [:]

    /// Parses `encoded`; `nil` when an escape is malformed or a value holds a NUL.
    init?(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                return nil
            }
            guard !name.contains("\0"), !value.contains("\0") else { return nil }
            values[name, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? {
        values[name]?.first
    }

    /// Whether a checkbox named `name` was ticked.
    func isOn(_ name: String) -> Bool {
        values[name] != nil
    }
}

extension FormFields {
    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        values[name] ?? []
    }
}
