import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator ack`.
struct Ack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Acknowledges inbox messages.")
    @OptionGroup var options: SimulatorOptions
    @Argument(help: "Message ids.") var messages: [String]

    func run() async throws {
        try printJSON(["acknowledged": try await options.load().acknowledge(messages)])
    }
}
