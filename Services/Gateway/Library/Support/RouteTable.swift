internal import HTTPTypes
internal import Synchronization

/// Which methods each registered path pattern accepts, so a known path asked with another
/// method answers 405 with `Allow` instead of 404.
final class RouteTable: Sendable {
    private let entries = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    /// Records that `pattern` (segments, `{name}` for a parameter) accepts `method`.
    func add(_ pattern: String, _ method: HTTPRequest.Method) {
        let segments = pattern.split(separator: "/")
        entries.withLock { $0.append((segments, method)) }
    }

    /// The methods registered for a pattern matching `path`; empty when none matches.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/")
        return entries.withLock { entries in
            entries.filter { entry in
                entry.segments.count == parts.count
                    && zip(entry.segments, parts).allSatisfy { pattern, part in
                        pattern.hasPrefix("{") || pattern == part
                    }
            }.map(\.method)
        }
    }
}
