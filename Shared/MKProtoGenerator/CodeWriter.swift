/// Accumulates generated source with 4-space indentation.
struct CodeWriter {
    private(set) var text = ""
    private var level = 0

    /// Appends one line at the current indentation (an empty line has no trailing spaces).
    mutating func line(_ content: String = "") {
        if !content.isEmpty { text += String(repeating: "    ", count: level) + content }
        text += "\n"
    }

    /// Appends `open`, the lines `body` writes one level deeper, and `close`.
    mutating func block(_ open: String, close: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(open)
        level += 1
        body(&self)
        level -= 1
        line(close)
    }

    /// The column limit the output keeps where practical.
    static let columns = 120

    /// `head + tail` on one line when it fits, else `head` and then `tail` one level deeper.
    mutating func wrapped(_ head: String, _ tail: String) {
        if fits(head + tail) {
            line(head + tail)
        } else {
            line(head)
            indented { $0.line(tail) }
        }
    }

    /// `head` + arguments + `)` on one line when it fits, else the arguments filled into lines
    /// one level deeper.
    mutating func call(_ head: String, _ arguments: [String]) {
        let single = head + arguments.joined(separator: ", ") + ")"
        if fits(single) {
            line(single)
            return
        }
        line(head)
        indented { w in
            var current = ""
            for (i, argument) in arguments.enumerated() {
                let piece = argument + (i == arguments.count - 1 ? ")" : ",")
                if current.isEmpty {
                    current = piece
                } else if w.fits(current + " " + piece) {
                    current += " " + piece
                } else {
                    w.line(current)
                    current = piece
                }
            }
            w.line(current)
        }
    }

    /// `open head args) }` on one line when it fits, else a block around ``call(_:_:)``.
    mutating func compactBlock(_ open: String, _ head: String, _ arguments: [String]) {
        let single = "\(open) \(head)\(arguments.joined(separator: ", "))) }"
        if fits(single) {
            line(single)
        } else {
            block(open) { w in w.call(head, arguments) }
        }
    }

    private func fits(_ content: String) -> Bool {
        level * 4 + content.count <= Self.columns
    }

    /// Writes `body` one level deeper.
    mutating func indented(_ body: (inout CodeWriter) -> Void) {
        level += 1
        body(&self)
        level -= 1
    }
}

/// A Swift string literal of `value`.
func swiftStringLiteral(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\\": result += "\\\\"
        case "\"": result += "\\\""
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\0": result += "\\0"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
