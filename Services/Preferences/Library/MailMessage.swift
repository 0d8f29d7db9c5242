internal import Foundation
internal import MKServiceRuntime

/// An RFC 5322 message: UTF-8 subject as an RFC 2047 encoded word, UTF-8 plain-text body in
/// base64 (so no line is too long and no line starts with a lone dot).
struct MailMessage {
    let from: String
    let to: String
    let subject: String
    let body: String
    let messageID: UUID
    let date: Date

    /// The message, CRLF line endings.
    var rendered: String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let headers = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID.lowercaseText)@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        let encoded = Data(Self.crlfLines(body)).base64EncodedString(
            options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// The UTF-8 of `text` with every line feed not after a carriage return made CRLF.
    private static func crlfLines(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A && previous != 0x0D { bytes.append(0x0D) }
            bytes.append(byte)
            previous = byte
        }
        return bytes
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, split on character boundaries.
    static func encodedWord(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else {
            return text
        }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// "Mon, 07 Dec 2026 16:05:09 +0000" (RFC 5322 section 3.3), in UTC. From calendar fields
    /// rather than a `DateFormatter`: creating one per message (they are not safe to share) cost
    /// more than the rest of rendering it.
    private static func rfc5322Date(_ date: Date) -> String {
        let parts = utcCalendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekday = weekdayNames[((parts.weekday ?? 1) - 1) % 7]
        let month = monthNames[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(twoDigits(parts.day)) \(month) \(parts.year ?? 1970) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second)) +0000"
    }

    private static func twoDigits(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }

    /// RFC 5322's day and month names, Sunday first (`Calendar`'s weekday 1).
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// The Gregorian calendar in UTC (a value, safe to share).
    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()
}
