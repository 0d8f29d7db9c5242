import DeviceRegistry
import Foundation
import Logging
import MKContracts
import MKMessages
import MKPostgres
import MKRPC

/// The database row: the Device Registry's GetDevice and ListDevices, called through our RPC
/// runtime (client → server → service → PostgreSQL pool), against `pgbench -S -M prepared` with
/// the same number of clients on the same cluster, interleaved round by round.
enum DatabaseBenchmark {
    static let role = "mkbench_registry"
    static let subjects = 2_000
    static let keysPerSubject = 10

    struct Options {
        /// A superuser URL of the private cluster.
        var adminURL: String
        /// pgbench's connection arguments (`-h … -p … -U … dbname`) of a database it initialised.
        var pgbenchArguments: [String]
    }

    static func run(options: Options, rounds: Int, slice: Duration, clientCounts: [Int]) async throws -> [ReportRow] {
        try await withRegistry(options: options, connections: clientCounts.max() ?? 16) { calls in
            try await measure(calls, options: options, rounds: rounds, slice: slice, clientCounts: clientCounts)
        }
    }

    /// One call (`get` or `list`) at `clients` for `slice`, for a profiler to watch; no pgbench.
    static func profile(options: Options, call: String, clients: Int, slice: Duration) async throws {
        _ = try await withRegistry(options: options, connections: clients) { calls in
            guard let selected = ["get": calls.getDevice, "list": calls.listDevices][call] else {
                throw BenchError("no call \(call); get or list")
            }
            _ = try await LoadGenerator.run(concurrency: clients, for: slice / 4, selected)
            let sample = try await LoadGenerator.run(concurrency: clients, for: slice, selected)
            print("\(call) at \(clients): \(formatCount(sample.rate)) calls/s")
            return []
        }
    }

    /// The two calls of the database rows, each a random citizen's or key's, checked.
    struct Calls {
        var getDevice: @Sendable () async throws -> Void
        var listDevices: @Sendable () async throws -> Void
    }

    /// Provisions the benchmark's role, seeds its schema, serves the registry on loopback and
    /// runs `body` with its calls; `connections` bounds the registry's pool.
    static func withRegistry(
        options: Options, connections: Int, _ body: @escaping @Sendable (Calls) async throws -> [ReportRow]
    ) async throws -> [ReportRow] {
        var logger = Logger(label: "mk-bench")
        logger.logLevel = .error
        var admin = try PostgresConfiguration(url: options.adminURL)
        admin.maximumConnections = 2
        let password = "mkbench-\(UInt32.random(in: 0...UInt32.max))"
        let adminClient = PostgresClient(configuration: admin, logger: logger)
        do {
            try await PostgresProvisioner(admin: adminClient).ensureServiceRole(
                role: role, password: password, schema: role)
            await adminClient.shutdown()
        } catch {
            await adminClient.shutdown()
            throw error
        }

        var configuration = admin
        configuration.user = role
        configuration.password = password
        configuration.applicationName = "mk-bench"
        configuration.maximumConnections = connections
        let database = PostgresClient(configuration: configuration, logger: logger)
        do {
            let keys = try await seed(database)
            let rows = try await serve(database, keys: keys, logger: logger, body)
            await database.shutdown()
            return rows
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// Migrates the registry's schema and fills it once: `subjects` citizens × `keysPerSubject`
    /// active keys. Returns every (subject, key id).
    static func seed(_ database: PostgresClient) async throws -> [(subject: String, deviceID: String)] {
        try await DeviceRegistryMigrations.apply(to: database, schema: role)
        let count = try await database.query("SELECT count(*)::bigint FROM device").single((Int64).self)
        if count != Int64(subjects * keysPerSubject) {
            progress("database: seeding \(subjects) citizens × \(keysPerSubject) keys")
            try await database.withTransaction { connection in
                try await connection.query("TRUNCATE device, subject CASCADE")
                try await connection.query(
                    """
                    INSERT INTO subject (subject, first_seen_at)
                    SELECT 'nb-subject:bench-' || s, now() FROM generate_series(1, \(Int64(subjects))) AS s
                    """)
                try await connection.query(
                    """
                    INSERT INTO device (id, subject, device_name, model, platform, app_version, public_key,
                                        push_token, default_name, custom_name, paired_at, last_used_at)
                    SELECT gen_random_uuid(), 'nb-subject:bench-' || s, 'Telefon ' || k,
                           'Samsung Galaxy S24 Ultra (SM-S928B/DS)', 1 + k % 2, '3.2.1',
                           decode(repeat('04ab', 32) || '04', 'hex'), 'push-token-' || s || '-' || k,
                           'Telefon ' || k || ' (Samsung Galaxy S24 Ultra (SM-S928B/DS))',
                           CASE WHEN k % 3 = 0 THEN 'Pracovní telefon ' || k END,
                           now() - make_interval(days => k::int), now() - make_interval(hours => k::int)
                    FROM generate_series(1, \(Int64(subjects))) AS s, generate_series(1, \(Int64(keysPerSubject))) AS k
                    """)
            }
            try await database.withConnection { connection in
                try await connection.simpleExecute(unsafeSQL: "ANALYZE subject; ANALYZE device")
            }
        }
        let rows = try await database.query("SELECT subject, id FROM device WHERE unpaired_at IS NULL")
        return try rows.map { row throws(PostgresError) in
            let (subject, id) = try row.decode((String, UUID).self)
            return (subject, id.uuidString.lowercased())
        }
    }

    /// Serves the registry over our RPC on loopback and runs `body` with a client's calls.
    static func serve(
        _ database: PostgresClient, keys: [(subject: String, deviceID: String)], logger: Logger,
        _ body: @escaping @Sendable (Calls) async throws -> [ReportRow]
    ) async throws -> [ReportRow] {
        let service = DeviceRegistryService(client: database, logger: logger)
        let server = RPCServer(host: "127.0.0.1", port: 0, services: [service], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { server.beginGracefulShutdown() }
            let port = try await server.listeningPort()
            let client = RPCClient(host: "127.0.0.1", port: port, logger: logger)
            defer { client.shutdown() }
            let registry = Mk_Registry_V1_DeviceRegistry.Client(caller: client)
            let subjects = Array(Set(keys.map(\.subject)))

            let getDevice: @Sendable () async throws -> Void = {
                let key = keys.randomElement()!
                let response = try await registry.getDevice(
                    Mk_Registry_V1_GetDeviceRequest(subject: key.subject, deviceId: key.deviceID))
                guard response.device?.deviceId == key.deviceID else { throw BenchError("GetDevice answered another key") }
            }
            let listDevices: @Sendable () async throws -> Void = {
                let response = try await registry.listDevices(
                    Mk_Registry_V1_ListDevicesRequest(subject: subjects.randomElement()!))
                guard response.devices.count == keysPerSubject else { throw BenchError("ListDevices lost keys") }
            }
            let rows = try await body(Calls(getDevice: getDevice, listDevices: listDevices))
            group.cancelAll()
            return rows
        }
    }

    /// Each client count's rounds: pgbench, GetDevice, ListDevices, interleaved.
    static func measure(
        _ calls: Calls, options: Options, rounds: Int, slice: Duration, clientCounts: [Int]
    ) async throws -> [ReportRow] {
        var rows: [ReportRow] = []
        for clients in clientCounts {
            progress("database: GetDevice, ListDevices and pgbench -S, \(clients) client(s)")
            // Warm-up: prepares every pooled connection's statements and pgbench's caches.
            _ = try await LoadGenerator.run(concurrency: clients, for: slice / 4, calls.getDevice)
            _ = try await LoadGenerator.run(concurrency: clients, for: slice / 4, calls.listDevices)
            _ = try await pgbench(options.pgbenchArguments, clients: clients, seconds: 1)
            var gets: [Sample] = []
            var lists: [Sample] = []
            var pgbenchSamples: [Sample] = []
            let seconds = max(1, Int(slice.seconds.rounded()))
            for _ in 0..<rounds {
                pgbenchSamples.append(try await pgbench(options.pgbenchArguments, clients: clients, seconds: seconds))
                gets.append(try await LoadGenerator.run(concurrency: clients, for: slice, calls.getDevice))
                lists.append(try await LoadGenerator.run(concurrency: clients, for: slice, calls.listDevices))
            }
            let reference = Measurement(samples: pgbenchSamples)
            let plural = clients == 1 ? "client" : "clients"
            rows.append(
                ReportRow(
                    area: "Database", benchmark: "GetDevice through the RPC, \(clients) \(plural)", unit: "calls/s",
                    ours: Measurement(samples: gets), alternativeName: "pgbench -S -M prepared, \(clients) \(plural)",
                    alternative: reference, goal: clients == 16 ? .atLeast(0.5) : .none))
            rows.append(
                ReportRow(
                    area: "Database", benchmark: "ListDevices (10 keys) through the RPC, \(clients) \(plural)",
                    unit: "calls/s", ours: Measurement(samples: lists),
                    alternativeName: "pgbench -S -M prepared, \(clients) \(plural)", alternative: reference,
                    goal: clients == 16 ? .atLeast(0.5) : .none))
        }
        return rows
    }

    /// One `pgbench -S -M prepared` run; its tps excludes connection set-up, as pgbench reports it.
    static func pgbench(_ arguments: [String], clients: Int, seconds: Int) async throws -> Sample {
        let text = try runWithDefaultSignals(
            ["pgbench", "-n", "-S", "-M", "prepared", "-c", "\(clients)", "-j", "\(min(clients, 2))", "-T", "\(seconds)"]
                + arguments)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let tps = Double(line.dropFirst("tps = ".count).prefix { $0 != " " })
        else {
            throw BenchError("pgbench printed no tps: \(text.suffix(400))")
        }
        return Sample(operations: Int(tps * Double(seconds)), seconds: Double(seconds))
    }

    /// Runs a program found on PATH and returns its standard output. The child starts with no
    /// blocked signals: this process's threads block SIGALRM, which `pgbench -T` relies on, and a
    /// child inheriting that mask would never stop.
    static func runWithDefaultSignals(_ command: [String]) throws -> String {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGALRM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArguments = command.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, cArguments, environ)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw BenchError("could not start \(command[0]): error \(spawned)")
        }
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw BenchError("\(command[0]) failed with status \(status)") }
        return String(decoding: output, as: UTF8.self)
    }
}
