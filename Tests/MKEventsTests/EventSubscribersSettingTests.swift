import Foundation
import MKEvents
import MKMessages
import MKServiceRuntime
import Testing

@Suite("EVENT_SUBSCRIBERS")
struct EventSubscribersSettingTests {
    private func subscribers(_ value: String) throws
        -> [(name: String, address: HostAndPort, eventTypes: Set<Mk_Events_V1_EventType>?)]
    {
        try EnvironmentSettings(["EVENT_SUBSCRIBERS": value])
            .eventSubscribers(eventType: Mk_Events_V1_EventType.init(name:))
    }

    private func problem(_ value: String) -> String? {
        do {
            _ = try subscribers(value)
            return nil
        } catch let error as ConfigurationError {
            #expect(error.setting == "EVENT_SUBSCRIBERS")
            return error.problem
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func aSubscriberTakesEveryTypeOrTheTypesItNames() throws {
        let parsed = try subscribers("preferences=127.0.0.1:7201/DEVICE_PAIRED+DEVICE_UNPAIRED, audit=10.0.0.9:7301")
        #expect(parsed.map(\.name) == ["preferences", "audit"])
        #expect(parsed.map(\.address.port) == [7201, 7301])
        #expect(parsed[0].eventTypes == [.devicePaired, .deviceUnpaired])
        #expect(parsed[1].eventTypes == nil)
        #expect(try subscribers("").isEmpty)
    }

    @Test func malformedItemsAndUnknownTypesAreRefusedByName() {
        for value in ["preferences", "Preferences=127.0.0.1:7201", "preferences=127.0.0.1", "preferences=/SIGN_IN"] {
            #expect(problem(value)?.hasPrefix("must be name=host:port") == true, "\(value)")
        }
        #expect(problem("p=127.0.0.1:1,p=127.0.0.1:2") == "names subscriber p twice")
        #expect(
            problem("preferences=127.0.0.1:7201/DEVICE_PAIRED+signed_in+")
                == "subscriber preferences names unknown event types: 'signed_in', ''")
        #expect(problem("preferences=127.0.0.1:7201/") == "subscriber preferences names unknown event types: ''")
    }

    /// The names are the contract's (`EVENT_TYPE_` dropped, UNSPECIFIED left out), so a type added
    /// to `events.proto` fails here until it has its name.
    @Test func everyEventTypeHasItsContractName() throws {
        let proto = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../proto/mk/events/v1/events.proto")
        var contract: [String: Int32] = [:]
        for line in try String(contentsOf: proto, encoding: .utf8).split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" || $0 == ";" })
            guard words.count == 2, words[0].hasPrefix("EVENT_TYPE_"), let number = Int32(words[1]) else { continue }
            contract[String(words[0].dropFirst("EVENT_TYPE_".count))] = number
        }
        contract["UNSPECIFIED"] = nil
        #expect(contract.count == 5)
        #expect(Mk_Events_V1_EventType.byName.mapValues(\.rawValue) == contract)
        #expect(Mk_Events_V1_EventType(name: "UNSPECIFIED") == nil)
    }
}
