import HTTPTypes
import HummingbirdTesting
import MobileKeySimulator
import NIOCore

/// Lets the simulator talk to an in-process router through the test client.
struct RouterTransport: SimulatorTransport {
    let client: any TestClientProtocol

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws
        -> SimulatorResponse
    {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let response = try await client.execute(
            uri: target, method: HTTPRequest.Method(method) ?? .get, headers: fields,
            body: body.isEmpty ? nil : ByteBuffer(bytes: body))
        return SimulatorResponse(status: Int(response.status.code), body: Array(response.body.readableBytesView))
    }
}
