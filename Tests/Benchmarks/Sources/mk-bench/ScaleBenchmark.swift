import DeviceRegistry
import Foundation
import Logging
import MKContracts
import MKMessages
import MKPostgres
import MKRPC

/// The scaling table: the key list (ListDevices through our RPC, the real DeviceRegistryService)
/// of citizens with 1, 10 and 100 keys, in a registry holding 10k, 100k and 1M citizens (90 % of
/// them with one key, 9 % with 10, 1 % with 100; see ``ScaleSeeder``), at a fixed concurrency.
/// The database grows once from size to size. Each row interleaves its rounds with
/// `pgbench -S -M prepared` at the same client count on the same cluster — a fixed amount of work
/// whose result does not depend on our tables — so rows measured minutes apart on a noisy machine
/// stay comparable through the ratio column.
enum ScaleBenchmark {
    static let role = "mkbench_scale"
    static let sizes = [10_000, 100_000, 1_000_000]
    static let clients = 16

    static func run(options: DatabaseBenchmark.Options, rounds: Int, slice: Duration) async throws
        -> (rows: [ReportRow], notes: [String])
    {
        var logger = Logger(label: "mk-bench")
        logger.logLevel = .error
        // Seeding the largest size is one long transaction; this bounds it.
        let admin = try BenchDatabase.admin(url: options.adminURL, connections: 1, statementTimeout: .seconds(900), logger: logger)
        return try await BenchDatabase.using(admin) { admin in
            let database = try await BenchDatabase.service(
                url: options.adminURL, role: role, fresh: true, connections: clients, logger: logger)
            return try await BenchDatabase.using(database) { database in
                try await DeviceRegistryMigrations.apply(to: database, schema: role)
                let seeder = ScaleSeeder(schema: role)
                let service = DeviceRegistryService(client: database, logger: logger)
                let result = try await BenchRPC.serving([service], logger: logger) { caller in
                    try await measure(
                        Mk_Registry_V1_DeviceRegistry.Client(caller: caller), seeder: seeder, admin: admin,
                        options: options, rounds: rounds, slice: slice)
                }
                try await seeder.empty(admin: admin)
                return result
            }
        }
    }

    static func measure(
        _ registry: Mk_Registry_V1_DeviceRegistry.Client, seeder: ScaleSeeder, admin: PostgresClient,
        options: DatabaseBenchmark.Options, rounds: Int, slice: Duration
    ) async throws -> (rows: [ReportRow], notes: [String]) {
        var rows: [ReportRow] = []
        var seeding: [String] = []
        var previous = 0
        let clock = ContinuousClock()
        for citizens in sizes {
            progress("scale: growing the registry to \(sizeText(citizens)) citizens")
            let seedStart = clock.now
            try await seeder.grow(from: previous, to: citizens, admin: admin)
            previous = citizens
            let keys = try await seeder.keyCount(admin: admin)
            seeding.append("\(sizeText(citizens)) in \(Int((clock.now - seedStart).seconds.rounded())) s")
            for cohort in ScaleSeeder.cohorts {
                let count = cohort.count(of: citizens)
                let listDevices: @Sendable () async throws -> Void = {
                    let response = try await registry.listDevices(
                        Mk_Registry_V1_ListDevicesRequest(subject: cohort.subject(Int.random(in: 1...count))))
                    guard response.devices.count == cohort.keys else { throw BenchError("ListDevices lost keys") }
                }
                progress("scale: ListDevices of \(cohort.keys)-key citizens among \(sizeText(citizens)), \(clients) clients")
                _ = try await LoadGenerator.run(concurrency: clients, for: slice / 4, listDevices)
                var ours: [Sample] = []
                var reference: [Sample] = []
                for _ in 0..<rounds {
                    reference.append(try await DatabaseBenchmark.pgbench(options.pgbenchArguments, clients: clients, seconds: 1))
                    ours.append(try await LoadGenerator.run(concurrency: clients, for: slice, listDevices))
                }
                rows.append(
                    ReportRow(
                        area: "Scale",
                        benchmark: "ListDevices (\(cohort.keys) \(cohort.keys == 1 ? "key" : "keys")) through the RPC, "
                            + "\(sizeText(citizens)) citizens (\(formatCount(Double(keys))) keys) in the registry, "
                            + "\(clients) clients",
                        unit: "calls/s", ours: Measurement(samples: ours),
                        alternativeName: "pgbench -S -M prepared, \(clients) clients", alternative: Measurement(samples: reference),
                        goal: .none))
            }
        }
        return (rows, ["Scale: registry seeded (SQL, grown from the previous size) to " + seeding.joined(separator: ", ") + "."])
    }

    /// 10k, 100k, 1M.
    static func sizeText(_ count: Int) -> String {
        count >= 1_000_000 && count % 1_000_000 == 0 ? "\(count / 1_000_000)M" : "\(count / 1000)k"
    }
}
