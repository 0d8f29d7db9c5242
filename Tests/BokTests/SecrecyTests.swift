import Bok
import Foundation
import MKContracts
import MKMessages
import MKPostgres
import MKRPC
import MKTestSupport
import Testing

extension BokSuite {
    /// The BOK never rests in the database in any encoding, and peppers rotate.
    @Suite("Secrecy and key rotation")
    struct SecrecyTests {
        /// Every encoding of `code` a careless implementation might store, as it would appear in a
        /// text dump where `bytea` values are rendered as hex.
        static func needles(for code: String) -> [String] {
            let ascii = Array(code.utf8)
            let utf16LE: [UInt8] = ascii.flatMap { byte -> [UInt8] in [byte, 0] }
            let utf16BE: [UInt8] = ascii.flatMap { byte -> [UInt8] in [0, byte] }
            let base64 = [Data(ascii).base64EncodedString(), Data(ascii).base64EncodedString().replacingOccurrences(of: "=", with: "")]
            // Base64 of the code inside longer data, at each of the three alignments.
            let aligned = (0..<3).map { shift -> String in
                let encoded = Data([UInt8](repeating: 0, count: shift) + ascii).base64EncodedString()
                let skip = (shift * 4 + 2) / 3
                return String(encoded.dropFirst(skip + 1).prefix(max(4, ascii.count * 4 / 3 - 2)))
            }
            let strings: [String] = [code] + base64 + aligned
            let encodings: [[UInt8]] = strings.map { Array($0.utf8) } + [utf16LE, utf16BE]
            return strings + encodings.map(hex)
        }

        static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

        /// Every row of every table and sequence of the schema, as text (`bytea` as hex).
        static func dump(_ database: PostgresClient) async throws -> String {
            let tables = try await database.query(
                """
                SELECT c.relname, c.relkind = 'S' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'S') ORDER BY 1
                """
            ).decode((String, Bool).self)
            let names = tables.map(\.0)
            #expect(names.contains("credential") && names.contains("verification") && names.contains("outbox_event"))
            var text = ""
            for (table, isSequence) in tables {
                let rows = try await database.query(
                    isSequence
                        ? "SELECT last_value::text FROM \(identifier: table)"
                        : "SELECT t::text FROM \(identifier: table) AS t"
                ).decode(String.self)
                text += "\(table):\n" + rows.joined(separator: "\n") + "\n"
            }
            return text.lowercased()
        }

        static func leaks(_ code: String, in dump: String) -> [String] {
            needles(for: code).filter { dump.contains($0.lowercased()) }
        }

        @Test func aDumpOfTheSchemaHoldsNoBokInAnyEncoding() async throws {
            try await BokFixture.with { fixture in
                // Ten-digit codes, so a match by chance in hex or a timestamp is out of the question.
                let first = "8302741956"
                let second = "5917368240"
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, first)
                for code in [first, "1111111111", first] {
                    let started = try await fixture.start(subject)
                    _ = try await fixture.submit(started, subject: subject, key: key, bok: code)
                }
                let started = try await fixture.start(subject)
                let typo = started.counterCode == "000000" ? "000001" : "000000"
                _ = try await fixture.submit(started, subject: subject, key: key, bok: first, counterCode: typo)
                _ = try await fixture.bok.unblockBok(.init(office: BokFixture.office, subject: subject, newCode: second))
                let last = try await fixture.start(subject)
                _ = try await fixture.submit(last, subject: subject, key: key, bok: second)

                // The detector finds a planted code (so this test can fail), in UTF-16 inside bytea.
                try await fixture.bokDatabase.query("CREATE TABLE canary (value bytea)")
                try await fixture.bokDatabase.query("INSERT INTO canary VALUES (\(Array(first.utf8).flatMap { byte -> [UInt8] in [byte, 0] }))")
                #expect(!Self.leaks(first, in: try await Self.dump(fixture.bokDatabase)).isEmpty)
                try await fixture.bokDatabase.query("DROP TABLE canary")

                let dump = try await Self.dump(fixture.bokDatabase)
                #expect(dump.contains(subject))
                for code in [first, second, "1111111111"] {
                    #expect(Self.leaks(code, in: dump).isEmpty, "the dump holds \(code)")
                }
            }
        }

        @Test func aCredentialIsReKeyedToTheCurrentPepperAtItsNextSuccessfulVerification() async throws {
            let oldSecret = BokFixture.randomBytes(32)
            let secret = BokFixture.randomBytes(48)
            let old = try PepperKeyring(current: "2025a", secrets: ["2025a": oldSecret])
            try await BokFixture.with(peppers: old) { fixture in
                let subject = BokFixture.newSubject()
                let key = try await fixture.pair(subject)
                try await fixture.setBok(subject, "1234")
                let before = try await fixture.credentialRow(subject)
                #expect(before.keyID == "2025a")

                // A keyring without the old pepper cannot check the code: an internal error, and
                // the failure is not counted.
                let withoutOld = try PepperKeyring(current: "2026a", secrets: ["2026a": secret])
                try await fixture.restartedBok(peppers: withoutOld) { bok in
                    let started = try await bok.startVerification(
                        .init(office: BokFixture.office, subject: subject, purpose: "Rotace"))
                    let error = await rpcError {
                        try await bok.submitAnswer(
                            try fixture.answer(
                                started.requestId, subject: subject, key: key, counterCode: started.counterCode,
                                bok: "1234"))
                    }
                    #expect(error?.code == .internal)
                    _ = try await bok.cancelVerification(.init(office: BokFixture.office, requestId: started.requestId))
                }
                #expect(try await fixture.failures(subject) == 0)

                let rotated = try PepperKeyring(
                    parsing: "2026a:\(Data(secret).base64EncodedString())\n2025a:\(Data(oldSecret).base64EncodedString())",
                    current: nil)
                #expect(rotated.keyIDs == ["2026a", "2025a"])
                let raised = BokFixture.configuration(argon2: Argon2Parameters(memoryKiB: 128, iterations: 2, parallelism: 1))
                try await fixture.restartedBok(peppers: rotated, configuration: raised) { bok in
                    let started = try await bok.startVerification(
                        .init(office: BokFixture.office, subject: subject, purpose: "Rotace"))
                    let answer = try fixture.answer(
                        started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "1234")
                    #expect(try await bok.submitAnswer(answer).state == .verified)
                }
                let after = try await fixture.credentialRow(subject)
                #expect(after.keyID == "2026a")
                #expect(after.memoryKiB == 128 && after.iterations == 2)
                #expect(after.salt != before.salt)

                // Only the new pepper is needed now.
                try await fixture.restartedBok(peppers: withoutOld, configuration: raised) { bok in
                    let started = try await bok.startVerification(
                        .init(office: BokFixture.office, subject: subject, purpose: "Po rotaci"))
                    let answer = try fixture.answer(
                        started.requestId, subject: subject, key: key, counterCode: started.counterCode, bok: "1234")
                    #expect(try await bok.submitAnswer(answer).state == .verified)
                }
            }
        }
    }
}
