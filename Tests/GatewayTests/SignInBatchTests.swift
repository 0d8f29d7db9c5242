import Foundation
import HTTPTypes
import HummingbirdTesting
import MKContracts
import MKMessages
import MKRPC
import NIOCore
import Testing

@testable import Gateway

/// The identity provider's hook gathers concurrent sign-ins into shared `RecordUses` and
/// `NotifyLogins` calls; each report still gets its own sign-in's answer.
@Suite("Identity-provider hook batches")
struct SignInBatchTests {
    static let reports = 40

    /// What the hook answered one report.
    private struct Answer: Sendable {
        var status: HTTPResponse.Status
        var recorded: Bool?
        var notifiedDevices: Int?
    }

    /// Reports sign-in `number` (subject "refused" for number 7).
    private static func report(_ number: Int, _ client: any TestClientProtocol) async throws -> Answer {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.authorization] = GatewayHarness.basic("nia", GatewayHarness.identityProviderSecret)
        let subject = number == 7 ? "refused" : "demo-jana-novakova"
        let response = try await client.execute(
            uri: "/idp/v1/logins", method: .post, headers: headers,
            body: ByteBuffer(string: "{\"subject\":\"\(subject)\",\"means\":\"EOP\",\"eventId\":\"e-\(number)\"}"))
        let body = response.status == .ok ? try jsonObject(response) : [:]
        return Answer(
            status: response.status, recorded: body["recorded"] as? Bool,
            notifiedDevices: body["notifiedDevices"] as? Int)
    }

    /// The number in an event id "e-N".
    private static func number(_ eventID: String) -> Int { Int(eventID.dropFirst(2)) ?? -1 }

    @Test func concurrentSignInsShareCallsAndEachGetsItsOwnOutcome() async throws {
        let harness = GatewayHarness()
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.recordUses) {
            (request: Mk_Registry_V1_RecordUsesRequest) in
            // A call in flight for a while, so the reports arriving meanwhile queue for the next one.
            try await Task.sleep(for: .milliseconds(50))
            return Mk_Registry_V1_RecordUsesResponse(
                outcomes: request.uses.map { use in
                    use.subject == "refused"
                        ? Mk_Registry_V1_RecordUseOutcome(
                            statusCode: RPCStatusCode.invalidArgument.rawValue,
                            statusMessage: "subject: refused here")
                        : Mk_Registry_V1_RecordUseOutcome(recorded: Self.number(use.eventId) % 2 == 0)
                })
        }
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.notifyLogins) {
            (request: Mk_Preferences_V1_NotifyLoginsRequest) in
            try await Task.sleep(for: .milliseconds(50))
            return Mk_Preferences_V1_NotifyLoginsResponse(
                outcomes: request.logins.map {
                    Mk_Preferences_V1_NotifyLoginOutcome(devices: UInt32(Self.number($0.eventId) % 3))
                })
        }
        try await harness.test { client in
            let answers = try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
                for number in 0..<Self.reports {
                    group.addTask { (number, try await Self.report(number, client)) }
                }
                var answers: [Int: Answer] = [:]
                for try await (number, answer) in group { answers[number] = answer }
                return answers
            }
            for number in 0..<Self.reports {
                let answer = try #require(answers[number])
                if number == 7 {
                    #expect(answer.status == .badRequest)
                    continue
                }
                #expect(answer.status == .ok, "report \(number)")
                #expect(answer.recorded == (number % 2 == 0), "report \(number)")
                #expect(answer.notifiedDevices == number % 3, "report \(number)")
            }
        }
        let calls = harness.registry.called.filter { $0 == "RecordUses" }.count
        #expect(calls >= 1 && calls < Self.reports, "\(calls) RecordUses calls for \(Self.reports) reports")
        #expect(harness.registry.called.allSatisfy { $0 == "RecordUses" })
    }

    @Test func aFailedBatchCallFailsEachSignInInItAndTheNextBatchGoesOn() async throws {
        let harness = GatewayHarness()
        harness.registry.on(Mk_Registry_V1_DeviceRegistry.Method.recordUses) {
            (request: Mk_Registry_V1_RecordUsesRequest) -> Mk_Registry_V1_RecordUsesResponse in
            guard request.uses.allSatisfy({ Self.number($0.eventId) >= 100 }) else {
                throw RPCError(.unavailable, "the registry is down")
            }
            return Mk_Registry_V1_RecordUsesResponse(
                outcomes: request.uses.map { _ in Mk_Registry_V1_RecordUseOutcome(recorded: true) })
        }
        harness.preferences.on(Mk_Preferences_V1_Preferences.Method.notifyLogins) {
            (request: Mk_Preferences_V1_NotifyLoginsRequest) in
            Mk_Preferences_V1_NotifyLoginsResponse(
                outcomes: request.logins.map { _ in Mk_Preferences_V1_NotifyLoginOutcome(devices: 1) })
        }
        try await harness.test { client in
            #expect(try await Self.report(1, client).status == .serviceUnavailable)
            let after = try await Self.report(100, client)
            #expect(after.status == .ok)
            #expect(after.recorded == true)
        }
    }
}
