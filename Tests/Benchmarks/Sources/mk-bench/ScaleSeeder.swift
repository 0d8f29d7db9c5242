import MKPostgres

/// Fills the scale section's registry schema with citizens and their keys in server-side SQL
/// (`INSERT … SELECT generate_series`), growing it from one size to the next without reloading
/// what is there. At every size 90 % of the citizens have one key (most people have one phone),
/// 9 % have 10 keys and 1 % 100 keys — 2.8 key rows per citizen, 2.8 M at 1M citizens: the key
/// list of a 1-, 10- or 100-key citizen is then measured in the same database.
struct ScaleSeeder {
    /// Citizens with the same number of keys.
    struct Cohort: Sendable {
        var keys: Int
        /// Parts per hundred of the citizens.
        var percent: Int

        /// The subject of citizen `number` (1-based), zero-padded so subjects sort in insertion
        /// order and the subject index grows at its end.
        func subject(_ number: Int) -> String {
            let digits = String(number)
            return "nb-subject:scale-k\(keys)-" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
        }

        /// Citizens of this cohort in a database of `citizens`.
        func count(of citizens: Int) -> Int { citizens * percent / 100 }
    }

    static let cohorts = [Cohort(keys: 1, percent: 90), Cohort(keys: 10, percent: 9), Cohort(keys: 100, percent: 1)]

    let schema: String

    /// Grows the schema to `citizens` (from `previous`, which it holds now): one transaction that
    /// drops the device table's secondary indexes, inserts the new citizens and their keys, and
    /// rebuilds the indexes from their own definitions (bulk loading then building is several times
    /// faster than maintaining them row by row); then ANALYZE. Foreign keys are not checked
    /// row by row (`session_replication_role = replica`): every key's citizen is inserted first.
    func grow(from previous: Int, to citizens: Int, admin: PostgresClient) async throws {
        try await admin.withTransaction { connection in
            try await connection.query("SELECT set_config('search_path', \(schema), true)")
            try await connection.query("SELECT set_config('session_replication_role', 'replica', true)")
            try await connection.query("SELECT set_config('maintenance_work_mem', '512MB', true)")
            let indexes = try await connection.query(
                """
                SELECT index.relname::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                JOIN pg_class index ON index.oid = i.indexrelid
                JOIN pg_class tab ON tab.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = tab.relnamespace
                WHERE n.nspname = \(schema) AND tab.relname = 'device'
                  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """
            ).decode((String, String).self)
            for (name, _) in indexes { try await connection.query("DROP INDEX \(identifier: name)") }
            for cohort in Self.cohorts {
                let first = Int64(cohort.count(of: previous) + 1)
                let last = Int64(cohort.count(of: citizens))
                guard first <= last else { continue }
                let prefix = "nb-subject:scale-k\(cohort.keys)-"
                try await connection.query(
                    """
                    INSERT INTO subject (subject, first_seen_at)
                    SELECT \(prefix) || lpad(s::text, 7, '0'), now() FROM generate_series(\(first), \(last)) AS s
                    """)
                // Key ids ascend with the citizen (unique per cohort, citizen and key), so the
                // primary key also grows at its end; production ids are random, which the key
                // list does not look up by.
                try await connection.query(
                    """
                    INSERT INTO device (id, subject, device_name, model, platform, app_version, public_key,
                                        push_token, default_name, custom_name, paired_at, last_used_at)
                    SELECT (lpad(to_hex(s), 8, '0') || '-' || lpad(to_hex(\(Int64(cohort.keys))), 4, '0')
                            || '-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid,
                           \(prefix) || lpad(s::text, 7, '0'), 'Telefon ' || k,
                           'Samsung Galaxy S24 Ultra (SM-S928B/DS)', 1 + k % 2, '3.2.1',
                           decode(repeat('04ab', 32) || '04', 'hex'), 'push-token-' || s || '-' || k,
                           'Telefon ' || k || ' (Samsung Galaxy S24 Ultra (SM-S928B/DS))',
                           CASE WHEN k % 3 = 0 THEN 'Pracovní telefon ' || k END,
                           now() - make_interval(days => k::int), now() - make_interval(hours => k::int)
                    FROM generate_series(\(first), \(last)) AS s, generate_series(1, \(Int64(cohort.keys))) AS k
                    """)
            }
            // The definitions come from the catalogue (pg_get_indexdef), not from input.
            for (_, definition) in indexes { try await connection.simpleExecute(unsafeSQL: definition) }
        }
        try await admin.query("ANALYZE \(identifier: schema).\(identifier: "subject")")
        try await admin.query("ANALYZE \(identifier: schema).\(identifier: "device")")
    }

    /// Empties the schema (frees the disk space of the largest size).
    func empty(admin: PostgresClient) async throws {
        try await admin.query("TRUNCATE \(identifier: schema).\(identifier: "subject") CASCADE")
    }

    /// Keys in the schema now.
    func keyCount(admin: PostgresClient) async throws -> Int {
        Int(try await admin.query("SELECT count(*)::bigint FROM \(identifier: schema).device").single(Int64.self))
    }
}
