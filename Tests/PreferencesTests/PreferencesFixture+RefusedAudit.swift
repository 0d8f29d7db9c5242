import MKPostgres

extension PreferencesFixture {
    /// Makes the server refuse every audit row whose detail is `LIKE detailPattern` (a test's
    /// constant, without quotes): a stand-in for any failure of one call's statements.
    func refuseAuditRows(detailLike detailPattern: String) async throws {
        precondition(!detailPattern.contains("'"), "the pattern is written into the SQL as it is")
        try await database.withConnection { connection in
            try await connection.simpleExecute(
                unsafeSQL: """
                    CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.detail LIKE '\(detailPattern)' THEN RAISE EXCEPTION 'refused for the test'; END IF;
                        RETURN NEW;
                    END $$;
                    CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit();
                    """)
        }
    }
}
