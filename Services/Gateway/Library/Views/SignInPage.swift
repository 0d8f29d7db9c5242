/// The sign-in page: the way to the National Point identity provider (or the development one).
enum SignInPage {
    /// The page; `authorizeURL` is where the button leads.
    static func render(authorizeURL: String, reason: String?, development: Bool) -> HTML {
        let note: HTML = reason.map { PortalLayout.message($0, kind: .warning) } ?? ""
        let devNote: HTML =
            development
            ? "<p class=\"hint\">Vývojové prostředí: přihlášení obstarává vývojový poskytovatel identity.</p>" : ""
        return PortalLayout.page(
            title: "Přihlášení", session: nil, section: .none,
            content: """
                <h1>Správa Mobilních klíčů eGovernmentu</h1>
                \(note)
                <p class="lead">Pro správu svých mobilních klíčů a nastavení notifikací se přihlaste prostřednictvím
                Národního bodu pro identifikaci a autentizaci.</p>
                <p><a class="button" href="\(authorizeURL)">Přihlásit se přes Národní bod</a></p>
                \(devNote)
                """)
    }
}
