import CLibPQ

/// Reads a `PGresult` into Swift values. Everything is copied, because the caller clears the
/// result as soon as this returns.
enum ResultReader {
    /// The rows of a successful result. Text-format results (from `PQexec`) keep only the row count.
    static func rows(from result: OpaquePointer, binary: Bool) -> PostgresRows {
        let affected = Int(CString.string(PQcmdTuples(result)) ?? "") ?? 0
        let tag = CString.string(PQcmdStatus(result)) ?? ""
        guard binary else {
            return PostgresRows(
                storage: RowStorage(columns: [], rowCount: 0, buffer: [], offsets: [], lengths: []),
                affectedRows: affected,
                commandTag: tag
            )
        }
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { column in
            PostgresColumn(
                name: CString.string(PQfname(result, Int32(column))) ?? "",
                dataType: PostgresDataType(rawValue: PQftype(result, Int32(column)))
            )
        }
        var total = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                total += Int(PQgetlength(result, Int32(row), Int32(column)))
            }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(total)
        var offsets: [Int] = []
        var lengths: [Int32] = []
        offsets.reserveCapacity(rowCount * columnCount)
        lengths.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                let (r, c) = (Int32(row), Int32(column))
                offsets.append(buffer.count)
                if PQgetisnull(result, r, c) == 1 {
                    lengths.append(-1)
                    continue
                }
                let length = PQgetlength(result, r, c)
                lengths.append(length)
                if length > 0, let value = PQgetvalue(result, r, c) {
                    let bytes = UnsafeRawBufferPointer(start: value, count: Int(length))
                    buffer.append(contentsOf: bytes)
                }
            }
        }
        let storage = RowStorage(
            columns: columns, rowCount: rowCount, buffer: buffer, offsets: offsets, lengths: lengths)
        return PostgresRows(storage: storage, affectedRows: affected == 0 ? rowCount : affected, commandTag: tag)
    }

    /// The typed error of a failed result. The DETAIL field is deliberately not read: it quotes
    /// row values.
    static func error(from result: OpaquePointer, connectionBroken: Bool) -> PostgresError {
        func field(_ code: Character) -> String? {
            CString.string(PQresultErrorField(result, Int32(code.asciiValue!)))
        }
        let sqlState = field("C")
        let code: PostgresError.Code
        if connectionBroken || sqlState?.hasPrefix("08") == true || sqlState?.hasPrefix("57P") == true {
            code = .connectionClosed
        } else if sqlState == "57014" {
            code = .statementTimeout
        } else {
            code = .server
        }
        return PostgresError(
            code,
            sqlState: sqlState,
            constraintName: field("n"),
            serverMessage: field("M") ?? CString.string(PQresultErrorMessage(result)).map(Connection.firstLine)
        )
    }
}
