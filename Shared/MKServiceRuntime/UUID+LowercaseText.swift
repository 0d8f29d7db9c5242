public import Foundation

extension UUID {
    /// The UUID as the contracts spell it: 36 characters, lowercase hex, hyphenated — the same text
    /// as `uuidString.lowercased()`, written straight into the string's storage instead of through
    /// `snprintf` and a second pass (a measurable part of every key list).
    public var lowercaseText: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            withUnsafeBytes(of: uuid) { bytes in
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    buffer[position] = digits.utf8Start[Int(byte >> 4)]
                    buffer[position + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    position += 2
                }
            }
            return position
        }
    }
}
