/// Markup that is safe to send: built only from trusted literals and escaped values.
///
/// A `String` interpolated into `HTML` is always escaped; only string *literals* (written in this
/// module's source) and other `HTML` values pass through unchanged, so user data can never become
/// markup by accident.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup text.
    public private(set) var rendered: String

    /// A trusted literal.
    public init(stringLiteral value: String) {
        self.rendered = value
    }

    /// Markup assembled by interpolation (strings escaped).
    public init(stringInterpolation: Interpolation) {
        self.rendered = stringInterpolation.output
    }

    /// Markup produced by code that emits only fixed tags and numbers (the QR code SVG).
    init(generatedMarkup: String) {
        self.rendered = generatedMarkup
    }

    /// The markup text.
    public var description: String { rendered }

    /// Joins fragments.
    static func join(_ parts: [HTML]) -> HTML {
        HTML(generatedMarkup: parts.map(\.rendered).joined())
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`, so the text is safe in element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Builds markup: literals verbatim, strings escaped, markup and lists of markup verbatim.
    public struct Interpolation: StringInterpolationProtocol {
        var output = ""

        /// Reserves room.
        public init(literalCapacity: Int, interpolationCount: Int) {
            output.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        /// A literal from source code: trusted.
        public mutating func appendLiteral(_ literal: String) {
            output += literal
        }

        /// Text: escaped.
        public mutating func appendInterpolation(_ text: String) {
            output += HTML.escape(text)
        }

        /// A number.
        public mutating func appendInterpolation(_ number: Int) {
            output += String(number)
        }

        /// Markup: verbatim.
        public mutating func appendInterpolation(_ markup: HTML) {
            output += markup.rendered
        }

        /// A list of markup: verbatim, in order.
        public mutating func appendInterpolation(_ list: [HTML]) {
            for markup in list {
                output += markup.rendered
            }
        }
    }
}
