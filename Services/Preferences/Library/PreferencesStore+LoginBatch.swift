internal import Foundation
internal import Logging
internal import MKMessages
internal import MKPostgres
internal import MKServiceRuntime

extension PreferencesStore {
    /// Notifies a batch of sign-ins, answering each as ``notifyLogin(_:origin:)`` would, in one
    /// transaction of four round trips: `BEGIN`, one pipeline of two statements (one locking the
    /// citizens, then one reading every sign-in's previous notice and keys, after the locks), one
    /// writing the new notices in one statement (and their wake-ups), `COMMIT`.
    ///
    /// Citizens are locked sorted by subject, so batches running at once lock them in one order; a
    /// dedup key repeated within the batch answers its first's count.
    /// When the batch fails, each sign-in is notified on its own, so one that fails fails alone;
    /// `logger` tells why the batch failed.
    func notifyLogins(
        _ batch: [(login: Login, origin: CallOrigin)], logger: Logger
    ) async -> [Result<Int, any Error>] {
        if batch.count > 1 {
            let now = clock.now()
            let order = batch.indices.sorted { (batch[$0].login.subject, $0) < (batch[$1].login.subject, $1) }
            do {
                let counts = try await client.withTransaction { connection in
                    let read = try await connection.pipeline([
                        Self.lockCitizensQuery(order.map { batch[$0].login.subject }, at: now),
                        Self.loginTargetsQuery(order.map { batch[$0].login }),
                    ])
                    let targets = try read[1].decode((Int64?, [UUID]).self)
                    guard targets.count == batch.count else {
                        throw PostgresError(.unexpectedShape, reason: "a sign-in's targets are missing")
                    }
                    var counts = [Int](repeating: 0, count: batch.count)
                    var firstWithKey: [String: Int] = [:]
                    var repeats: [(index: Int, first: Int)] = []
                    var notices: [BatchNotice] = []
                    for (position, index) in order.enumerated() {
                        let (previous, keys) = targets[position]
                        if let previous {
                            counts[index] = Int(previous)
                            continue
                        }
                        let login = batch[index].login
                        if let key = login.dedupKey {
                            if let first = firstWithKey[key] {
                                repeats.append((index, first))
                                continue
                            }
                            firstWithKey[key] = index
                        }
                        counts[index] = keys.count
                        notices.append(BatchNotice(
                            notification: Self.loginNotice(login, at: now), targets: keys.map { .device($0) },
                            audit: Self.loginAudit(login, keys: keys.count, origin: batch[index].origin)))
                    }
                    for (index, first) in repeats { counts[index] = counts[first] }
                    var writes: [PostgresQuery] = []
                    if !notices.isEmpty { writes.append(Self.noticesQuery(notices, at: now)) }
                    let woken = notices.flatMap(\.keys)
                    if configuration.pushEnabled, !woken.isEmpty {
                        writes.append(Self.wakeupsQuery(for: woken, at: now))
                    }
                    try await connection.pipeline(writes)
                    return counts
                }
                return counts.map { .success($0) }
            } catch {
                logger.warning(
                    "sign-in notice batch failed; notifying each sign-in on its own",
                    metadata: ["sign-ins": "\(batch.count)", "error": "\(error)"])
            }
        }
        return await BatchQueue.answerEach(batch) { try await notifyLogin($0.login, origin: $0.origin) }
    }
}
