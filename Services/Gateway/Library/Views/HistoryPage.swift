/// The citizen's activity history: pairings, renames, unpairs, sign-ins, BOK verifications and
/// notices, newest first.
enum HistoryPage {
    /// One line of the history.
    struct Entry: Sendable {
        var atMicros: Int64
        var event: String
        var detail: String
    }

    /// The page.
    static func render(entries: [Entry], session: CitizenSession) -> HTML {
        let rows: [HTML] = entries.map { entry in
            """
            <tr><td>\(CzechTime.format(micros: entry.atMicros, absent: "neznámo"))</td><td>\(entry.event)</td>\
            <td>\(entry.detail)</td></tr>
            """
        }
        let table: HTML =
            entries.isEmpty
            ? "<p class=\"empty\">Zatím zde nejsou žádné záznamy.</p>"
            : """
            <div class="table-wrap"><table class="history">
            <caption>Historie událostí, od nejnovějších</caption>
            <thead><tr><th scope="col">Datum a čas</th><th scope="col">Událost</th><th scope="col">Podrobnosti</th></tr>
            </thead><tbody>\(rows)</tbody></table></div>
            """
        return PortalLayout.page(
            title: "Historie", session: session, section: .history,
            content: """
                <h1>Historie</h1>
                <p class="lead">Připojení a odpojení mobilních klíčů, jejich přejmenování, přihlášení k Národnímu bodu,
                ověření BOK na úřadech a zaslané notifikace. Pokud nějakou událost nepoznáváte, odpojte dotčené
                zařízení a obraťte se na podporu.</p>
                \(table)
                """)
    }
}
