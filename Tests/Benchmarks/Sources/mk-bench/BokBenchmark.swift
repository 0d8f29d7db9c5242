import Bok
import Foundation
import Histogram
import Logging
import MKContracts
import MKMessages

/// The BOK rows: complete verifications per second (counter starts, phone answers with the right
/// BOK, VERIFIED) through the real BOK service with the production Argon2id parameters and its
/// hash-concurrency bound, against the Argon2id limit — cores ÷ the time of one hash on one
/// thread, by the service's own hash function, measured in the same rounds — while a paced
/// key-list load (ListDevices through the same registry the BOK service asks) measures its p99.
/// Rounds interleave: one-thread hashes (the service's, giving the limit, then libargon2's own
/// `argon2id_hash_raw` beside it), the BOK load with the key list beside it, the key list alone,
/// all-thread hashes.
enum BokBenchmark {
    /// Keys per citizen, paired through the registry; the key list returns all of them.
    static let keysPerCitizen = 10
    /// Key-list calls per second beside the BOK load, and the tasks sharing them.
    static let keyListRate = 100
    static let keyListTasks = 4

    static func run(adminURL: String, rounds: Int, slice: Duration) async throws -> [ReportRow] {
        var logger = Logger(label: "mk-bench")
        logger.logLevel = .error
        let cores = BokConfiguration.coreCount
        // Production hashing (parameters, concurrency bound, waiters); the per-citizen and
        // per-counter start limits are anti-abuse rate limits that a load test must lift.
        let configuration = BokConfiguration(
            verificationsPerCitizenPer10Minutes: 1_000_000, verificationsPerCounterPerHour: 1_000_000)
        let parameters = configuration.argon2
        // Enough citizens in flight that a hash slot never waits for a caller: while one holds a
        // slot, the next already waits for it (three per slot, for margin).
        let citizensCount = 3 * configuration.hashConcurrency
        return try await BokSystem.with(adminURL: adminURL, configuration: configuration, logger: logger) {
            system, deliverRegistryEvents in
            progress("bok: pairing \(citizensCount) citizens × \(keysPerCitizen) keys, setting their BOKs")
            var citizens: [BokCitizen] = []
            for index in 0..<citizensCount {
                let citizen = try await BokCitizen.pair(index, in: system)
                for _ in 1..<keysPerCitizen { _ = try await BokCitizen.pair(index, in: system) }
                citizens.append(citizen)
            }
            try await deliverRegistryEvents()
            for citizen in citizens { try await citizen.setBok(in: system) }
            let subjects = citizens.map(\.subject)
            let listKeys: @Sendable () async throws -> Void = {
                let response = try await system.registry.listDevices(.init(subject: subjects.randomElement()!))
                guard response.devices.count == keysPerCitizen else { throw BenchError("ListDevices lost keys") }
            }
            let clock = ContinuousClock()

            // Warm-up, unrecorded: every citizen verifies at least once.
            let warmUp = clock.now
            _ = try await bokLoad(citizens, system: system, start: warmUp, measureFrom: warmUp, end: warmUp + slice)

            // A verification takes about a slice under load: longer windows, so each round counts
            // dozens of them; the hash timings get two slices each.
            let bokSlice = slice * 5
            var serviceHashes: [Sample] = []
            var libraryHashes: [Sample] = []
            var verifications: [Sample] = []
            var keyListsBeside: [Sample] = []
            var keyListsAlone: [Sample] = []
            var parallelHashes: [Sample] = []
            for round in 1...rounds {
                progress("bok: round \(round) of \(rounds)")
                serviceHashes.append(
                    try await Argon2Timing.run(parameters, by: .service, threads: 1, for: slice * 2))
                libraryHashes.append(
                    try await Argon2Timing.run(parameters, by: .library, threads: 1, for: slice * 2))
                // The pipeline fills for one slice, then 5 slices count; the key list runs in those.
                let start = clock.now
                let measureFrom = start + slice
                let end = measureFrom + bokSlice
                async let keyListBeside = PacedLoad.run(
                    rate: keyListRate, tasks: keyListTasks, start: measureFrom, end: end, listKeys)
                verifications.append(
                    try await bokLoad(citizens, system: system, start: start, measureFrom: measureFrom, end: end))
                keyListsBeside.append(try await keyListBeside)
                let aloneFrom = clock.now
                keyListsAlone.append(
                    try await PacedLoad.run(
                        rate: keyListRate, tasks: keyListTasks, start: aloneFrom, end: aloneFrom + slice, listKeys))
                parallelHashes.append(
                    try await Argon2Timing.run(parameters, by: .service, threads: cores, for: slice * 2))
            }
            return rows(
                parameters: parameters, cores: cores, concurrency: configuration.hashConcurrency,
                citizens: citizensCount, serviceHashes: serviceHashes, libraryHashes: libraryHashes,
                verifications: verifications, keyListsBeside: keyListsBeside, keyListsAlone: keyListsAlone,
                parallelHashes: parallelHashes)
        }
    }

    /// Every citizen verifying back to back (one request per citizen at a time, as the service
    /// allows) from `start` to `end`; verifications finishing from `measureFrom` count.
    static func bokLoad(
        _ citizens: [BokCitizen], system: BokSystem, start: ContinuousClock.Instant,
        measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant
    ) async throws -> Sample {
        try await withThrowingTaskGroup(of: Sample.self) { group in
            for citizen in citizens {
                group.addTask {
                    try await SteadyLoad.run(concurrency: 1, start: start, measureFrom: measureFrom, end: end) {
                        try await citizen.verify(in: system)
                    }
                }
            }
            var total = Sample(operations: 0, seconds: (end - measureFrom).seconds)
            for try await sample in group {
                total.operations += sample.operations
                if let latencies = sample.latencies {
                    if total.latencies == nil { total.latencies = latencies } else { total.latencies!.add(latencies) }
                }
            }
            return total
        }
    }

    static func rows(
        parameters: Argon2Parameters, cores: Int, concurrency: Int, citizens: Int, serviceHashes: [Sample],
        libraryHashes: [Sample], verifications: [Sample], keyListsBeside: [Sample], keyListsAlone: [Sample],
        parallelHashes: [Sample]
    ) -> [ReportRow] {
        let hash = "Argon2id \(parameters.memoryKiB / 1024) MiB, \(parameters.iterations) passes, \(parameters.parallelism) lane"
        let limits = serviceHashes.map { Argon2Timing.limit(fromOneThread: $0, cores: cores) }
        let limitName = "Argon2id limit: \(cores) cores ÷ one hash of the service's on 1 thread (\(hash))"
        let keyList = Measurement(samples: keyListsBeside)
        let keyListP99 = keyList.latencies.map { $0.valueAtPercentile(99) } ?? .max
        let keyListGoal = (text: "key list p99 < 50 ms", met: keyListP99 < 50_000)
        return [
            ReportRow(
                area: "BOK",
                benchmark: "complete verifications (start → answer → VERIFIED), hash concurrency \(concurrency), "
                    + "\(citizens) citizens in flight",
                unit: "verif./s", ours: Measurement(samples: verifications), alternativeName: limitName,
                alternative: Measurement(samples: limits), goal: .atLeast(0.9), latencyGoal: keyListGoal),
            ReportRow(
                area: "BOK",
                benchmark: "key list (ListDevices, \(keysPerCitizen) keys) at \(keyListRate) calls/s beside the BOK load",
                unit: "calls/s", ours: keyList, alternativeName: "the same key list with no BOK load",
                alternative: Measurement(samples: keyListsAlone), goal: .none, latencyGoal: keyListGoal),
            ReportRow(
                area: "BOK",
                benchmark: "one Argon2id hash on 1 thread, the service's call (its memory on transparent huge pages)",
                unit: "hashes/s",
                ours: Measurement(samples: serviceHashes),
                alternativeName: "libargon2's argon2id_hash_raw (the library's own malloc)",
                alternative: Measurement(samples: libraryHashes), goal: .none),
            ReportRow(
                area: "BOK",
                benchmark: "the service's Argon2id hash, \(cores) threads at once (how far the machine scales; no service)",
                unit: "hashes/s", ours: Measurement(samples: parallelHashes), alternativeName: limitName,
                alternative: Measurement(samples: limits), goal: .none),
        ]
    }
}
