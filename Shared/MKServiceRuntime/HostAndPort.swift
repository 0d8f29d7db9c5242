/// A listen or connect address written `host:port` (`127.0.0.1:7001`, `[::1]:7001`, `registry:7001`).
public struct HostAndPort: Hashable, Sendable, CustomStringConvertible {
    /// Host name or IP address, without brackets.
    public var host: String
    /// TCP port, 0 to 65535 (0 asks the system for a free port when listening).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; `nil` when it is not of that form or the port is out of range.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty, host.count <= 253,
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:".contains($0)) }),
            !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII),
            let port = Int(portText), (0...65535).contains(port)
        else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
