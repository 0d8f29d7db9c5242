@testable import Bok
import Foundation
import MKRPC
import MKServiceRuntime
import Testing

/// The parts that need no database: the hash semaphore, code parsing, Argon2 and configuration.
@Suite("BOK units")
struct UnitTests {
    @Test func excessHashRequestsWaitUntilTheirDeadlineAndNoLonger() async throws {
        let limiter = HashLimiter(permits: 1, maximumWaiters: 1)
        try await limiter.acquire(until: .now + .seconds(1))
        let started = ContinuousClock.now
        await #expect(throws: RPCError.self) { try await limiter.acquire(until: .now + .milliseconds(100)) }
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        limiter.release()
        // The permit came back: the next caller gets it at once.
        try await limiter.acquire(until: .now + .milliseconds(100))
        limiter.release()
    }

    @Test func aWaiterGetsTheReleasedPermitAndTheQueueIsBounded() async throws {
        let limiter = HashLimiter(permits: 1, maximumWaiters: 1)
        try await limiter.acquire(until: .now + .seconds(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await limiter.acquire(until: .now + .seconds(5)) }
            try await Task.sleep(for: .milliseconds(50))
            do {
                try await limiter.acquire(until: .now + .seconds(5))
                Issue.record("a second waiter was admitted")
            } catch let error as RPCError {
                #expect(error.code == .resourceExhausted)
            }
            limiter.release()
            try await group.waitForAll()
        }
        limiter.release()
        try await limiter.acquire(until: .now + .milliseconds(10))
    }

    @Test func aCancelledWaiterLeavesThePermitsIntact() async throws {
        let limiter = HashLimiter(permits: 1, maximumWaiters: 4)
        try await limiter.acquire(until: .now + .seconds(1))
        let waiter = Task { try await limiter.acquire(until: .now + .seconds(5)) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        limiter.release()
        try await limiter.acquire(until: .now + .milliseconds(10))
    }

    @Test(arguments: ["0000", "1234", "9876543210"])
    func validCodesParse(_ text: String) {
        #expect(BokCode(text)?.digits == Array(text.utf8))
        #expect("\(BokCode(text)!)" == "BokCode(redacted)")
    }

    @Test(arguments: ["123", "12345678901", "12a4", "12 34", "١٢٣٤", "１２３４", "", "-123"])
    func invalidCodesDoNotParse(_ text: String) {
        #expect(BokCode(text) == nil)
    }

    @Test func counterCodesAreSixDigits() {
        for _ in 0..<200 {
            #expect(CounterCode(CounterCode.generate().text) != nil)
        }
        #expect(CounterCode("12345") == nil && CounterCode("1234567") == nil && CounterCode("12345a") == nil)
    }

    @Test func argon2idMatchesTheReferenceVector() throws {
        // RFC 9106 is for the full API with secret and data; this checks libargon2's raw Argon2id
        // against the known answer of `argon2 somesalt -id -t 2 -m 16 -p 1 -l 32` for "password".
        let output = try #require(
            Argon2id.hash(
                password: Array("password".utf8), salt: Array("somesalt".utf8),
                parameters: Argon2Parameters(memoryKiB: 65_536, iterations: 2, parallelism: 1)))
        #expect(output.map { String(format: "%02x", $0) }.joined()
            == "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7")
        #expect(Argon2id.hash(password: [1], salt: [1], parameters: .init(memoryKiB: 8, iterations: 1, parallelism: 1))
            == nil)
    }

    @Test func constantTimeComparisonComparesEveryByte() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
    }

    @Test func settingsReadPeppersAndKeysWithoutEchoingThem() throws {
        let secret = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let hpke = Data((0..<32).map { UInt8($0 + 1) }).base64EncodedString()
        var environment = [
            "DATABASE_URL": "postgresql://bok@127.0.0.1:5432/mk",
            "BOK_PEPPER": "old:\(secret),new:\(secret)", "BOK_PEPPER_KEY_ID": "new",
            "BOK_HPKE_KEY": hpke, "BOK_ARGON2_MEMORY_KIB": "1024", "RPC_PLAINTEXT": "true",
        ]
        let settings = try BokSettings(environment: EnvironmentSettings(environment))
        #expect(settings.peppers.currentKeyID == "new" && settings.peppers.keyIDs == ["new", "old"])
        #expect(settings.configuration.argon2.memoryKiB == 1024)
        #expect(settings.listenAddress.port == 7301 && settings.adminAddress.port == 9301)
        #expect(settings.deviceRegistryAddress.port == 7101 && settings.preferencesAddress.port == 7201)
        #expect(settings.configuration.hashConcurrency == BokConfiguration.coreCount)
        guard case .plaintext = settings.rpcSecurity else {
            Issue.record("RPC_PLAINTEXT=true did not select plaintext")
            return
        }

        environment["BOK_PEPPER"] = "short:\(Data([1, 2, 3]).base64EncodedString())"
        environment["BOK_PEPPER_KEY_ID"] = nil
        do {
            _ = try BokSettings(environment: EnvironmentSettings(environment))
            Issue.record("a short pepper was accepted")
        } catch let error as ConfigurationError {
            #expect(error.setting == "BOK_PEPPER")
            #expect(!"\(error)".contains("AQID"))
        }
        environment["BOK_PEPPER"] = "p:\(secret)"
        environment["BOK_HPKE_KEY"] = "not a key"
        #expect(throws: ConfigurationError.self) { try BokSettings(environment: EnvironmentSettings(environment)) }
    }
}
