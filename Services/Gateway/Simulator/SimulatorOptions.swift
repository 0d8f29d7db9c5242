import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// Options every subcommand shares.
struct SimulatorOptions: ParsableArguments {
    @Option(help: "The gateway's base URL.")
    var gateway = "http://127.0.0.1:8080"

    @Option(help: "Where the simulated key is kept.")
    var state = "mk-simulator.json"

    /// The saved key and device id.
    struct State: Codable {
        var deviceID: String
        var privateKey: String
    }

    func load() throws -> MobileKeySimulator {
        let saved = try JSONDecoder().decode(State.self, from: Data(contentsOf: URL(fileURLWithPath: state)))
        guard let raw = Data(base64Encoded: saved.privateKey) else { throw ValidationError("corrupt state file") }
        return MobileKeySimulator(
            deviceID: saved.deviceID, privateKey: try P256.Signing.PrivateKey(rawRepresentation: raw),
            transport: HTTPClientTransport(baseURL: gateway))
    }

    func save(_ simulator: MobileKeySimulator) throws {
        let saved = State(
            deviceID: simulator.deviceID, privateKey: simulator.privateKey.rawRepresentation.base64EncodedString())
        guard
            FileManager.default.createFile(
                atPath: state, contents: try JSONEncoder().encode(saved), attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write the state file \(state)") }
    }
}
