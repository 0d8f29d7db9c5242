import Testing

@testable import MKRPC

@Suite("Backoff and call setup")
struct BackoffTests {
    @Test func delaysGrowAndStayWithinBounds() {
        let backoff = RPCBackoff(initial: .milliseconds(100), maximum: .seconds(5), multiplier: 2, jitter: 0.2)
        for failures in 1...20 {
            let delay = backoff.delay(afterFailures: failures)
            let base = min(Duration.seconds(5), .milliseconds(100) * (1 << min(failures - 1, 20)))
            #expect(delay <= base)
            #expect(delay >= base * 0.79)
        }
    }

    @Test func traceIDsAreValidW3CIDs() {
        let id = RPCCallSetup.newTraceID()
        #expect(RPCCallSetup.isValidTraceID(id))
        #expect(!RPCCallSetup.isValidTraceID(String(repeating: "0", count: 32)))
        #expect(!RPCCallSetup.isValidTraceID("0AF7651916CD43DD8448EB211C80319C"))
        #expect(!RPCCallSetup.isValidTraceID("abc"))
    }

    @Test func deadlineIsTheEarliestOfOptionsInheritedAndDefault() async {
        let now = ContinuousClock.now
        let fromDefault = RPCCallSetup.deadline(options: RPCCallOptions(), defaultTimeout: .seconds(10), now: now)
        #expect(fromDefault == now.advanced(by: .seconds(10)))
        let fromOptions = RPCCallSetup.deadline(
            options: RPCCallOptions(timeout: .seconds(2)), defaultTimeout: .seconds(10), now: now)
        #expect(fromOptions == now.advanced(by: .seconds(2)))
        let inherited = now.advanced(by: .seconds(1))
        RPCTaskContext.$deadline.withValue(inherited) {
            let deadline = RPCCallSetup.deadline(
                options: RPCCallOptions(timeout: .seconds(2)), defaultTimeout: .seconds(10), now: now)
            #expect(deadline == inherited)
        }
    }

    @Test func traceIDComesFromOptionsThenTaskThenNew() {
        let explicit = RPCCallSetup.metadata(RPCMetadata(traceID: "a"), defaultCaller: "gw")
        #expect(explicit.traceID == "a")
        #expect(explicit.caller == "gw")
        RPCTaskContext.$traceID.withValue("b") {
            #expect(RPCCallSetup.metadata(RPCMetadata(), defaultCaller: "").traceID == "b")
        }
        #expect(RPCCallSetup.isValidTraceID(RPCCallSetup.metadata(RPCMetadata(), defaultCaller: "").traceID))
    }
}
