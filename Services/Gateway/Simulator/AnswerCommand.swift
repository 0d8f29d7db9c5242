import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// `mk-simulator answer`.
struct Answer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answers a BOK prompt with the counter code and the BOK (the first prompt when no id is given).")
    @OptionGroup var options: SimulatorOptions
    @Option(help: "The counter code shown at the counter.") var counterCode: String
    @Option(help: "The BOK to type.") var bok: String
    @Option(help: "The request to answer.") var request: String?

    func run() async throws {
        let simulator = try options.load()
        var requestID = request
        if requestID == nil {
            requestID = try await simulator.prompts().first?["requestId"] as? String
        }
        guard let requestID else { throw ValidationError("no pending prompt") }
        let (state, attemptsLeft) = try await simulator.answer(requestID: requestID, counterCode: counterCode, bok: bok)
        try printJSON(["state": state, "attemptsLeft": attemptsLeft])
    }
}
