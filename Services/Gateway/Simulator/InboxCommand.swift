import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator inbox`.
struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reads the unread inbox.")
    @OptionGroup var options: SimulatorOptions
    @Option(help: "Seconds to wait for a message.") var wait = 0

    func run() async throws {
        try printJSON(try await options.load().inbox(wait: wait))
    }
}
