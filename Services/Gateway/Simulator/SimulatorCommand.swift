import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator`: a command-line Mobilní klíč app for demos and system tests. The key and device
/// id live in a state file (mode 0600) between invocations.
@main
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mk-simulator", abstract: "Behaves like the Mobilní klíč app over the gateway's API.",
        subcommands: [Pair.self, Inbox.self, Ack.self, Prompts.self, Answer.self, NotMe.self])
}
