import Foundation

/// `mk-bench`: the benchmarks of issue 8, printed as one Markdown table on standard output.
///
///     mk-bench [codec] [rpc] [db] [bok] [scale] [--rounds N] [--slice-ms MS]
///     mk-bench profile-codec ours|theirs device|list|settings ITERATIONS   (for a profiler)
///     mk-bench profile-rpc ours|grpc|nio echo|list CONCURRENCY SECONDS
///     mk-bench profile-db get|list CLIENTS SECONDS
///
/// The database rows need `MK_BENCH_DATABASE_URL` (a superuser URL of a private cluster) and
/// `MK_BENCH_PGBENCH_ARGS` (pgbench's connection arguments for a database `pgbench -i` set up);
/// `Tests/Benchmarks/bench.sh` (what `make bench` runs) provides both.
@main
struct MKBench {
    static func main() async {
        do {
            try await run(Array(CommandLine.arguments.dropFirst()))
        } catch {
            progress("mk-bench: \(error)")
            exit(1)
        }
    }

    static func run(_ arguments: [String]) async throws {
        if arguments.first == "profile-codec" {
            guard arguments.count == 4, let iterations = Int(arguments[3]) else {
                throw BenchError("usage: mk-bench profile-codec ours|theirs device|list|settings ITERATIONS")
            }
            try CodecBenchmark.profile(system: arguments[1], message: arguments[2], iterations: iterations)
            return
        }
        if arguments.first == "profile-rpc" {
            guard arguments.count == 5, let concurrency = Int(arguments[3]), let seconds = Int(arguments[4]) else {
                throw BenchError("usage: mk-bench profile-rpc ours|grpc|nio echo|list CONCURRENCY SECONDS")
            }
            try await RPCBenchmark.profile(
                contender: arguments[1], call: arguments[2], concurrency: concurrency, slice: .seconds(seconds))
            return
        }
        if arguments.first == "profile-db" {
            guard arguments.count == 4, let clients = Int(arguments[2]), let seconds = Int(arguments[3]) else {
                throw BenchError("usage: mk-bench profile-db get|list CLIENTS SECONDS")
            }
            try await DatabaseBenchmark.profile(
                options: try databaseOptions(), call: arguments[1], clients: clients, slice: .seconds(seconds))
            return
        }
        var sections: [String] = []
        var rounds = 5
        var sliceMilliseconds = 1_000
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "codec", "rpc", "db", "bok", "scale": sections.append(argument)
            case "--rounds": rounds = try positive(iterator.next(), argument)
            case "--slice-ms": sliceMilliseconds = try positive(iterator.next(), argument)
            default: throw BenchError("unknown argument \(argument)")
            }
        }
        if sections.isEmpty { sections = ["codec", "rpc", "db", "bok", "scale"] }
        let slice = Duration.milliseconds(sliceMilliseconds)
        let environment = ProcessInfo.processInfo.environment

        let started = Date()
        let loadBefore = loadAverage()
        var rows: [ReportRow] = []
        var notes: [String] = []
        if sections.contains("codec") {
            // More, shorter rounds: the codec loop is single-threaded and cheap to repeat.
            rows += try CodecBenchmark.run(rounds: rounds * 2 + 1, slice: slice / 4)
        }
        if sections.contains("rpc") {
            rows += try await RPCBenchmark.run(rounds: rounds, slice: slice, concurrencies: [1, 32])
        }
        if sections.contains("db") {
            if let url = environment["MK_BENCH_DATABASE_URL"], let pgbench = environment["MK_BENCH_PGBENCH_ARGS"] {
                rows += try await DatabaseBenchmark.run(
                    options: .init(adminURL: url, pgbenchArguments: pgbench.split(separator: " ").map(String.init)),
                    rounds: rounds, slice: slice * 2, clientCounts: [1, 16])
            } else {
                notes.append("Database rows not measured: MK_BENCH_DATABASE_URL / MK_BENCH_PGBENCH_ARGS unset.")
            }
        }
        if sections.contains("bok") {
            if let url = environment["MK_BENCH_DATABASE_URL"] {
                rows += try await BokBenchmark.run(adminURL: url, rounds: rounds, slice: slice)
            } else {
                notes.append("BOK rows not measured: MK_BENCH_DATABASE_URL unset.")
            }
        }
        if sections.contains("scale") {
            if let url = environment["MK_BENCH_DATABASE_URL"], let pgbench = environment["MK_BENCH_PGBENCH_ARGS"] {
                let scale = try await ScaleBenchmark.run(
                    options: .init(adminURL: url, pgbenchArguments: pgbench.split(separator: " ").map(String.init)),
                    rounds: rounds, slice: slice)
                rows += scale.rows
                notes += scale.notes
            } else {
                notes.append("Scale rows not measured: MK_BENCH_DATABASE_URL / MK_BENCH_PGBENCH_ARGS unset.")
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        print(renderTable(rows))
        print()
        print(
            "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpuModel()); "
                + "load average (1/5/15 min) \(loadBefore) before, \(loadAverage()) after; "
                + "measuring took \(Int(elapsed.rounded())) s.")
        print(
            "Ratios are medians of per-round ratios; rounds interleave the contenders (A B A B …), "
                + "\(rounds) rounds of \(sliceMilliseconds) ms each for RPC, \(rounds) of \(2 * sliceMilliseconds) ms "
                + "for the database, \(rounds * 2 + 1) of \(sliceMilliseconds / 4) ms for the codec.")
        for note in notes { print(note) }
    }

    /// The database rows' options from the environment, for `profile-db`.
    static func databaseOptions() throws -> DatabaseBenchmark.Options {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["MK_BENCH_DATABASE_URL"], let pgbench = environment["MK_BENCH_PGBENCH_ARGS"]
        else {
            throw BenchError("profile-db needs MK_BENCH_DATABASE_URL and MK_BENCH_PGBENCH_ARGS")
        }
        return .init(adminURL: url, pgbenchArguments: pgbench.split(separator: " ").map(String.init))
    }

    static func positive(_ value: String?, _ name: String) throws -> Int {
        guard let value, let number = Int(value), number > 0 else { throw BenchError("\(name) needs a positive number") }
        return number
    }

    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let colon = line.firstIndex(of: ":")
        else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
