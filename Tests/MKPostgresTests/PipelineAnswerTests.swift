import Foundation
import MKTestSupport
import Testing

@testable import MKPostgres

/// `Connection.executePipeline(_:sync:answer:)`: with a Sync after each statement, a statement's
/// answer is handed over as soon as it is read, while the server still runs the statements after
/// it. Runs the blocking connections on a thread of its own, as the pool's libpq threads do.
@Suite("Pipeline answers")
struct PipelineAnswerTests {
    @Test func anAnswerArrivesWhileTheStatementAfterItStillWaits() async throws {
        try await TestDatabase.withIsolatedSchema(prefix: "pipeearly") { database in
            var configuration = database.configuration
            // Bounds the wait below: delivered only after every statement, the first answer
            // would come when the lock wait has timed out, and the second statement would fail.
            configuration.statementTimeout = .seconds(5)
            let lock = Int64.random(in: 1...Int64.max)
            let (order, answers) = try await Self.onAThread { [configuration] () throws(PostgresError) in
                let holder = try Connection.connect(configuration)
                defer { holder.close() }
                let pipeline = try Connection.connect(configuration)
                defer { pipeline.close() }
                _ = try holder.execute("SELECT pg_advisory_lock(\(lock))")
                var order: [Int] = []
                var answers: [Int: Result<PostgresRows, PostgresError>] = [:]
                let queries: [PostgresQuery] = ["SELECT 41 + 1", "SELECT pg_advisory_lock(\(lock))"]
                pipeline.executePipeline(queries, sync: .afterEach) { index, answer in
                    order.append(index)
                    answers[index] = answer
                    // The second statement waits for this lock until the first answer is here.
                    if index == 0 { _ = try? holder.execute("SELECT pg_advisory_unlock(\(lock))") }
                }
                return (order, answers)
            }
            #expect(order == [0, 1])
            #expect(try answers[0]?.get().single(Int32.self) == 42)
            // Took the lock: it was released while the statement waited, not timed out.
            #expect(throws: Never.self) { try answers[1]?.get() }
        }
    }

    /// Runs blocking libpq work on a new thread and returns its result.
    static func onAThread<T: Sendable>(_ body: @escaping @Sendable () throws(PostgresError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { () throws(PostgresError) in try body() }) }.start()
        }
    }
}
