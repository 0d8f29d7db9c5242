internal import Foundation

/// Dates as Czech readers expect them, in Europe/Prague time: "5. 3. 2025 14:07".
enum CzechTime {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Prague") ?? TimeZone(secondsFromGMT: 3600) ?? .current
        return calendar
    }()

    /// `micros` (µs since the Unix epoch) formatted, or `absent` when it is 0.
    static func format(micros: Int64, absent: String = "dosud nepoužito") -> String {
        guard micros > 0 else { return absent }
        let date = Date(timeIntervalSince1970: TimeInterval(micros) / 1_000_000)
        let parts = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        let minute = parts.minute ?? 0
        return "\(parts.day ?? 0). \(parts.month ?? 0). \(parts.year ?? 0) \(parts.hour ?? 0):"
            + (minute < 10 ? "0\(minute)" : "\(minute)")
    }

    /// `micros` as an ISO 8601 instant in UTC (the API's format), or `nil` when it is 0.
    static func iso8601(micros: Int64) -> String? {
        guard micros > 0 else { return nil }
        let date = Date(timeIntervalSince1970: TimeInterval(micros) / 1_000_000)
        return date.formatted(.iso8601)
    }

    /// Now, in µs since the Unix epoch.
    static func nowMicros() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000)
    }
}
