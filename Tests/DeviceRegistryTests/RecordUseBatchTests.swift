import DeviceRegistry
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

/// Concurrent `RecordUse` calls are recorded together, each answered as if it ran alone. Each
/// test holds a subject's row lock while two of its sign-ins occupy both batch lanes, so the
/// sign-ins started meanwhile queue and go together once the lock is released.
@Suite("Sign-ins recorded in batches")
struct RecordUseBatchTests {
    @Test func concurrentSignInsShareTransactionsAndEachIsAnsweredAsAlone() async throws {
        try await RegistryFixture.with { fixture in
            let subjects = (0..<20).map { _ in RegistryFixture.newSubject() }
            let device = try await fixture.pair(subjects[0]).device
            // Per subject: one event sent twice, one other event.
            let requests = subjects.enumerated().flatMap { index, subject in
                let means: Mk_Registry_V1_MeansKind = index == 0 ? .mobileKey : .niaId
                let deviceID = index == 0 ? device.deviceId : ""
                return [
                    Self.signIn(subject, means, deviceID: deviceID, eventID: "repeated-\(index)"),
                    Self.signIn(subject, means, deviceID: deviceID, eventID: "repeated-\(index)"),
                    Self.signIn(subject, means, deviceID: deviceID, eventID: "single-\(index)"),
                ]
            }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in
                    Task { try await fixture.registry.recordUse(request, options: RPCCallOptions()).recorded }
                }
            }
            var recorded: [Bool] = []
            for answer in answers { recorded.append(try await answer.value) }
            for index in subjects.indices {
                // Exactly one of the repeated event's two calls recorded it; the other event is new.
                #expect(recorded[index * 3] != recorded[index * 3 + 1])
                #expect(recorded[index * 3 + 2])
            }
            let rows = try await fixture.database.query(
                """
                SELECT count(*), count(DISTINCT xmin::text) FROM history
                WHERE subject = ANY(\(subjects)) AND action = \(Mk_Registry_V1_HistoryAction.signedIn.rawValue)
                """
            ).single((Int64, Int64).self)
            #expect(rows.0 == 40)
            // Fewer transactions than sign-ins: they were recorded together.
            #expect(rows.1 < 40)
            let events = try await fixture.outboxEvents()
                .filter { subjects.contains($0.subject) }.compactMap(\.signedIn)
            #expect(events.count == 40)
            #expect(events.filter { $0.deviceId == device.deviceId }.count == 2)
            let counts = try await fixture.database.query(
                """
                SELECT (SELECT count(*) FROM use_event WHERE subject = ANY(\(subjects))),
                       (SELECT count(*) FROM audit WHERE subject = ANY(\(subjects)) AND action = 'use_recorded')
                """
            ).single((Int64, Int64).self)
            #expect(counts == (40, 40))
        }
    }

    @Test func aSignInTheServerRejectsFailsAloneAndTheOthersAreRecorded() async throws {
        try await RegistryFixture.with { fixture in
            // A history trigger refusing one origin stands for any failure of one sign-in's statement.
            try await fixture.database.withConnection { connection in
                try await connection.simpleExecute(
                    unsafeSQL: """
                        CREATE FUNCTION refuse_origin() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.origin = 'odmítnout' THEN RAISE EXCEPTION 'refused for the test'; END IF;
                            RETURN NEW;
                        END $$;
                        CREATE TRIGGER refuse_origin BEFORE INSERT ON history
                            FOR EACH ROW EXECUTE FUNCTION refuse_origin();
                        """)
            }
            let subjects = (0..<10).map { _ in RegistryFixture.newSubject() }
            let answers = try await Self.whileLanesAreBusy(fixture) {
                subjects.enumerated().map { index, subject in
                    var request = Self.signIn(subject, .eop, eventID: "event-\(index)")
                    if index == 4 { request.origin = "odmítnout" }
                    return Task { try await fixture.registry.recordUse(request, options: RPCCallOptions()).recorded }
                }
            }
            for (index, answer) in answers.enumerated() {
                if index == 4 {
                    let error = await #expect(throws: RPCError.self) { try await answer.value }
                    #expect(error?.code == .internal)
                } else {
                    #expect(try await answer.value)
                }
            }
            let recorded = try await fixture.database.query(
                "SELECT subject FROM use_event WHERE subject = ANY(\(subjects)) ORDER BY subject"
            ).decode(String.self)
            #expect(recorded == subjects.enumerated().filter { $0.offset != 4 }.map(\.element).sorted())
            let events = try await fixture.outboxEvents().filter { subjects.contains($0.subject) }
            #expect(events.count == 9)
        }
    }

    @Test func aBatchMovesEachKeyAndMeansToItsLatestUseAndLeavesAnotherCitizensKeyAlone() async throws {
        try await RegistryFixture.with { fixture in
            let citizen = RegistryFixture.newSubject()
            let other = RegistryFixture.newSubject()
            let device = try await fixture.pair(citizen).device
            let othersDevice = try await fixture.pair(other).device
            let base: Int64 = 1_764_547_200_000_000
            // The key and the EOP each used three times out of order; two sign-ins without an
            // event id; one sign-in naming the other citizen's key.
            var requests: [Mk_Registry_V1_RecordUseRequest] = []
            for (index, offset) in [2, 5, 3].enumerated() {
                var key = Self.signIn(citizen, .mobileKey, deviceID: device.deviceId, eventID: "key-\(index)")
                key.atUnixMicros = base + Int64(offset) * 1_000_000
                var eop = Self.signIn(citizen, .eop, eventID: index == 0 ? "" : "eop-\(index)")
                eop.atUnixMicros = base + Int64(offset) * 2_000_000
                requests += [key, eop]
            }
            var foreign = Self.signIn(citizen, .mobileKey, deviceID: othersDevice.deviceId, eventID: "foreign")
            foreign.atUnixMicros = base + 9_000_000
            requests.append(foreign)
            var again = Self.signIn(citizen, .eop, eventID: "")
            again.atUnixMicros = base
            requests.append(again)
            let answers = try await Self.whileLanesAreBusy(fixture) {
                requests.map { request in
                    Task { try await fixture.registry.recordUse(request, options: RPCCallOptions()).recorded }
                }
            }
            for answer in answers { #expect(try await answer.value) }
            let keys = try await fixture.registry.listDevices(.init(subject: citizen), options: RPCCallOptions())
                .devices
            #expect(keys.map(\.lastUsedAtUnixMicros) == [base + 5_000_000])
            let othersKeys = try await fixture.registry.listDevices(.init(subject: other), options: RPCCallOptions())
                .devices
            #expect(othersKeys.map(\.lastUsedAtUnixMicros) == [0])
            let means = try await fixture.database.query(
                """
                SELECT (extract(epoch FROM last_used_at) * 1000000)::int8 FROM known_means
                WHERE subject = \(citizen) AND kind = \(Mk_Registry_V1_MeansKind.eop.rawValue)
                """
            ).single(Int64.self)
            #expect(means == base + 10_000_000)
            let history = try await fixture.database.query(
                """
                SELECT count(*), count(device_id), count(DISTINCT xmin::text) FROM history
                WHERE subject = \(citizen) AND action = \(Mk_Registry_V1_HistoryAction.signedIn.rawValue)
                """
            ).single((Int64, Int64, Int64).self)
            // Every sign-in has its entry; only the citizen's own key is named; fewer transactions.
            #expect(history.0 == 8 && history.1 == 3 && history.2 < 8)
        }
    }

    /// One `RecordUses` call answers each sign-in as `RecordUse` would answer it alone: a refused one
    /// fails alone (and writes nothing), a repeated event id is not recorded twice.
    @Test func recordUsesAnswersEachSignInAsRecordUseWould() async throws {
        try await RegistryFixture.with(overNetwork: true) { fixture in
            let subject = RegistryFixture.newSubject()
            let device = try await fixture.pair(subject).device
            var unspecified = Self.signIn(subject, .eop, eventID: "refused")
            unspecified.means = .unspecified
            let uses = [
                Self.signIn(subject, .mobileKey, deviceID: device.deviceId, eventID: "key"),
                unspecified,
                Self.signIn(subject, .eop, eventID: "other"),
                Self.signIn(subject, .mobileKey, deviceID: device.deviceId, eventID: "key"),
                Self.signIn("", .eop, eventID: "no-subject"),
            ]
            let outcomes = try await fixture.registry.recordUses(
                Mk_Registry_V1_RecordUsesRequest(uses: uses), options: RPCCallOptions()
            ).outcomes
            #expect(outcomes.map(\.recorded) == [true, false, true, false, false])
            let invalid = RPCStatusCode.invalidArgument.rawValue
            #expect(outcomes.map(\.statusCode) == [0, invalid, 0, 0, invalid])
            #expect(outcomes[1].statusMessage.hasPrefix("means:"))
            #expect(outcomes[4].statusMessage.hasPrefix("subject:"))
            let recorded = try await fixture.database.query(
                "SELECT event_id FROM use_event WHERE subject = \(subject) ORDER BY event_id"
            ).decode(String.self)
            #expect(recorded == ["key", "other"])
            let lastUsed = try #require(try await fixture.registry.getDevice(
                .init(subject: subject, deviceId: device.deviceId), options: RPCCallOptions()).device)
            #expect(lastUsed.lastUsedAtUnixMicros > 0)
        }
    }

    @Test func aRecordUsesCallWithNoSignInOrMoreThanAHundredIsRefusedWhole() async throws {
        try await RegistryFixture.with { fixture in
            let before = try await fixture.snapshot()
            let subject = RegistryFixture.newSubject()
            for count in [0, 101] {
                let uses = (0..<count).map { Self.signIn(subject, .eop, eventID: "e-\($0)") }
                let error = await rpcError {
                    try await fixture.registry.recordUses(.init(uses: uses), options: RPCCallOptions())
                }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.hasPrefix("uses:") == true)
            }
            #expect(try await fixture.snapshot() == before)
        }
    }

    static func signIn(
        _ subject: String, _ means: Mk_Registry_V1_MeansKind, deviceID: String = "", eventID: String
    ) -> Mk_Registry_V1_RecordUseRequest {
        var request = Mk_Registry_V1_RecordUseRequest()
        request.subject = subject
        request.means = means
        request.deviceId = deviceID
        request.eventId = eventID
        request.origin = "Praha"
        return request
    }

    /// Starts the calls `start` returns while both batch lanes wait for a held subject lock.
    static func whileLanesAreBusy<T>(
        _ fixture: RegistryFixture, _ start: () -> [Task<T, any Error>]
    ) async throws -> [Task<T, any Error>] {
        let blocker = RegistryFixture.newSubject()
        try await fixture.recordOtherMeans(blocker, .eop)
        return try await TestDatabase.whileBatchLanesAreBusy(
            fixture.database, lock: "SELECT 1 FROM subject WHERE subject = \(blocker) FOR UPDATE",
            blockedCall: { try await fixture.recordOtherMeans(blocker, .eop) }, start)
    }
}
