internal import MKRPC
internal import MKServiceRuntime

/// The rules for names a citizen or an app gives a key: 1 to 64 characters (grapheme clusters,
/// not bytes) after trimming white space, any script and emoji, but nothing invisible or
/// controlling that could make two names look alike or break the portal's layout.
enum DisplayName {
    /// Longest name, in characters.
    static let maximumCharacters = 64

    /// `value` without leading and trailing white space and newlines.
    static func trimmed(_ value: String) -> String {
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Throws INVALID_ARGUMENT naming `field` when `name` (already trimmed, not empty) is too long
    /// or holds a control, separator-line, private-use, unassigned or invisible formatting
    /// character. Joiners, variation selectors and emoji tag characters are allowed inside a
    /// character (emoji ZWJ sequences, flags, Persian ZWNJ), never on their own.
    static func check(_ name: String, field: String, maximum: Int = maximumCharacters) throws(RPCError) {
        guard name.count <= maximum, name.utf8.count <= maximum * 64 else {
            throw RequestValidation.invalid(field, "must be at most \(maximum) characters")
        }
        for character in name {
            for (position, scalar) in character.unicodeScalars.enumerated() {
                guard isAllowed(scalar, insideCharacter: position > 0) else {
                    throw RequestValidation.invalid(
                        field, "must not contain control or invisible formatting characters")
                }
            }
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar, insideCharacter: Bool) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            return false
        default:
            break
        }
        guard scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format else {
            return true
        }
        return insideCharacter && isJoinerOrSelector(scalar)
    }

    /// ZWNJ, ZWJ, variation selectors and tag characters: invisible, but part of real text.
    private static func isJoinerOrSelector(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200C, 0x200D, 0xFE00...0xFE0F, 0xE0020...0xE007F, 0xE0100...0xE01EF:
            true
        default:
            false
        }
    }
}
