/// The naming rules of the generated Swift code (swift-protobuf's, simplified).
enum Naming {
    /// `mk.registry.v1` + `Device` → `Mk_Registry_V1_Device`; nested `Outer.Inner` → `…_Outer_Inner`.
    static func swiftTypeName(fullName: String, package: String) -> String {
        let packagePrefix = package.split(separator: ".").map { upperCamel(snake: String($0)) + "_" }.joined()
        let local = package.isEmpty ? fullName : String(fullName.dropFirst(package.count + 1))
        return packagePrefix + local.split(separator: ".").joined(separator: "_")
    }

    /// `foo_bar` → `FooBar`, `v1` → `V1`.
    static func upperCamel(snake: String) -> String {
        snake.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The naive rule: `last_used_at_unix_micros` → `lastUsedAtUnixMicros`.
    static func lowerCamel(snake: String) -> String {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return snake }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `ListDevices` → `listDevices`, `HTTPGet` → `httpGet`.
    static func lowerCamel(upperCamel name: String) -> String {
        let chars = Array(name)
        var run = 0
        while run < chars.count, chars[run].isUppercase { run += 1 }
        // Keep the last capital of a longer run as the start of the next word.
        let lowered = run <= 1 || run == chars.count ? run : run - 1
        return String(chars[..<lowered]).lowercased() + String(chars[lowered...])
    }

    /// `FrameKind` → `FRAME_KIND`.
    static func upperSnake(upperCamel name: String) -> String {
        var result = ""
        for (i, c) in name.enumerated() {
            if c.isUppercase, i > 0 { result.append("_") }
            result.append(contentsOf: c.uppercased())
        }
        return result
    }

    /// `FRAME_KIND_REQUEST` (enum `FrameKind`) → `request`; `NOT_SERVING` → `notServing`.
    static func enumCaseName(_ protoName: String, prefix: String) -> String {
        var stripped = protoName
        if protoName.hasPrefix(prefix), protoName.count > prefix.count,
            let first = protoName.dropFirst(prefix.count).first, !first.isNumber
        {
            stripped = String(protoName.dropFirst(prefix.count))
        }
        return escaped(lowerCamel(snake: stripped.lowercased()))
    }

    /// Methods whose name starts with `Get`, `List` or `Check` are read-only by our convention
    /// (STYLE.md: `VerbNoun` RPCs), so a client may retry them after UNAVAILABLE.
    static func isIdempotent(methodName: String) -> Bool {
        ["Get", "List", "Check"].contains { prefix in
            guard methodName.hasPrefix(prefix) else { return false }
            let rest = methodName.dropFirst(prefix.count)
            return rest.first.map { !$0.isLowercase } ?? true
        }
    }

    /// Swift keywords that need backticks as identifiers.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "false", "is", "nil", "self", "Self", "super",
        "true", "try", "throws", "await", "consume", "borrowing", "consuming", "_",
    ]

    /// `default` → `` `default` ``.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }
}
