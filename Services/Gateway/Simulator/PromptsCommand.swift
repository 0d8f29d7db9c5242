import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator prompts`.
struct Prompts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lists pending BOK prompts.")
    @OptionGroup var options: SimulatorOptions

    func run() async throws {
        try printJSON(try await options.load().prompts())
    }
}
