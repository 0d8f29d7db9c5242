import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator not-me`.
struct NotMe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "not-me", abstract: "\"Nebyl jsem to já\": unpairs the key a notice concerns.")
    @OptionGroup var options: SimulatorOptions
    @Argument(help: "The device id the notice concerns.") var device: String
    @Option(help: "The notice's message id.") var message: String?

    func run() async throws {
        try printJSON(["unpaired": try await options.load().notMe(concerning: device, messageID: message)])
    }
}
