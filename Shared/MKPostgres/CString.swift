/// The checks and conversions every Swift string passes before and after libpq.
enum CString {
    /// Rejects interior NULs: C would silently cut the string there, so a password, identifier or
    /// SQL text would mean something other than what the caller wrote. (A Swift `String` is always
    /// valid UTF-8; invalid bytes are caught where text is decoded, e.g. from a URL.)
    static func check(_ value: String, field: String) throws(PostgresError) {
        if value.utf8.contains(0) {
            throw PostgresError(.invalidParameter, reason: "\(field) contains a NUL character")
        }
    }

    /// Copies a C string libpq owns into Swift (invalid UTF-8 is repaired, never trapped on).
    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
