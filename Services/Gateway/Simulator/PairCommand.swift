import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator pair`.
struct Pair: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generates a key and redeems an activation code.")
    @OptionGroup var options: SimulatorOptions
    @Argument(help: "The activation code shown by the portal.") var code: String
    @Option(help: "The device's name.") var name = "Simulátor"
    @Option(help: "The device's model.") var model = "Mobilní klíč simulátor"
    @Option(help: "A push token to register for the new key (A-Z, a-z, 0-9 and . _ : ~ -).") var pushToken: String?

    func run() async throws {
        let simulator = try await MobileKeySimulator.pair(
            activationCode: code, deviceName: name, model: model,
            transport: HTTPClientTransport(baseURL: options.gateway))
        try options.save(simulator)
        var output: [String: Any] = ["deviceId": simulator.deviceID]
        if let pushToken {
            output["pushTokenRegistered"] = try await simulator.registerPushToken(pushToken)
        }
        try printJSON(output)
    }
}
