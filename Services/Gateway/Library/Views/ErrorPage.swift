internal import HTTPTypes

/// The HTML page for a failure: what happened in Czech, and the correlation id to quote.
enum ErrorPage {
    /// The page for `failure`.
    static func render(_ failure: GatewayError, correlationID: String, session: CitizenSession?) -> HTML {
        let title: String
        switch failure.status.code {
        case 404: title = "Stránka nebo záznam nenalezen"
        case 503, 504: title = "Služba je dočasně nedostupná"
        case 403: title = "Akci nelze provést"
        case 429: title = "Příliš mnoho pokusů"
        default: title = failure.status.code >= 500 ? "Došlo k chybě" : "Požadavek nelze zpracovat"
        }
        return PortalLayout.page(
            title: title, session: session, section: .none,
            content: """
                <h1>\(title)</h1>
                \(PortalLayout.message(failure.message, kind: .error))
                <p>Pokud potíže trvají, uveďte při kontaktu s podporou identifikátor požadavku
                <code>\(correlationID)</code>.</p>
                <p><a href="/mobilni-klice">Zpět na správu mobilních klíčů</a></p>
                """)
    }
}
