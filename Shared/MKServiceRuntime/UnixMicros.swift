public import Foundation

/// Conversion between `Date` and the contracts' `*_unix_micros` (0 means absent).
public enum UnixMicros {
    /// Microseconds since 1970, rounded; 0 for `nil`.
    public static func from(_ date: Date?) -> Int64 {
        guard let date else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The date of a microsecond count.
    public static func date(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
