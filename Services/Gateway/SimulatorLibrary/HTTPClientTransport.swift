public import AsyncHTTPClient
internal import NIOCore
internal import NIOHTTP1

/// ``SimulatorTransport`` over AsyncHTTPClient to a gateway's base URL (`http://127.0.0.1:8080`).
public struct HTTPClientTransport: SimulatorTransport {
    private let client: HTTPClient
    private let baseURL: String

    /// A transport to `baseURL` using `client` (shut it down when done).
    public init(baseURL: String, client: HTTPClient = .shared) {
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws
        -> SimulatorResponse
    {
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = .RAW(value: method)
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        if !body.isEmpty {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return SimulatorResponse(status: Int(response.status.code), body: Array(bytes.readableBytesView))
    }
}
