/// The page frame of the citizen portal: `lang="cs"`, skip link, the blue header with the
/// navigation and sign-out, the main landmark, the footer. Scripts and styles are external files
/// only (the Content-Security-Policy forbids inline ones).
enum PortalLayout {
    /// A portal section, for `aria-current` in the navigation.
    enum Section {
        case keys, settings, pairing, contacts, history, none
    }

    private static let sections: [(Section, String, String)] = [
        (.keys, "/mobilni-klice", "Mobilní klíče"),
        (.settings, "/nastaveni-notifikaci", "Nastavení notifikací"),
        (.pairing, "/pripojeni", "Připojení Mobilního klíče"),
        (.contacts, "/vase-udaje", "Vaše údaje"),
        (.history, "/historie", "Historie"),
    ]

    /// A whole page.
    static func page(
        title: String, session: CitizenSession?, section: Section, content: HTML, refreshSeconds: Int? = nil
    ) -> HTML {
        let refresh: HTML = refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="cs">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(refresh)<title>\(title) – Národní bod</title>
            <link rel="stylesheet" href="/static/portal.css">
            <script src="/static/portal.js" defer></script>
            </head>
            <body>
            <a class="skip-link" href="#obsah">Přeskočit na obsah</a>
            <header class="site-header">
            <div class="container header-row">
            <a class="brand" href="/"><span class="brand-title">Národní bod</span>
            <span class="brand-subtitle">Mobilní klíč eGovernmentu</span></a>
            \(userBox(session))
            </div>
            \(navigation(session, section))
            </header>
            <main id="obsah" class="container" tabindex="-1">
            \(content)
            </main>
            <footer class="site-footer"><div class="container">
            <p>Národní bod pro identifikaci a autentizaci · Správa Mobilních klíčů eGovernmentu</p>
            </div></footer>
            </body>
            </html>
            """
    }

    private static func userBox(_ session: CitizenSession?) -> HTML {
        guard let session else { return "" }
        let name = session.name.isEmpty ? "Přihlášený uživatel" : session.name
        return """
            <div class="user-box"><span class="user-name">\(name)</span>
            <form method="post" action="/odhlaseni" class="inline-form">
            <input type="hidden" name="csrf" value="\(session.csrfToken)">
            <button type="submit" class="button button-light">Odhlásit se</button>
            </form></div>
            """
    }

    private static func navigation(_ session: CitizenSession?, _ current: Section) -> HTML {
        guard session != nil else { return "" }
        let items: [HTML] = sections.map { section, path, label in
            let marker: HTML = section == current ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(path)\"\(marker)>\(label)</a></li>"
        }
        return """
            <nav class="site-nav" aria-label="Hlavní navigace"><div class="container"><ul>\(items)</ul></div></nav>
            """
    }

    /// A status message box; `role="status"` for success, `role="alert"` for problems.
    static func message(_ text: String, kind: MessageKind) -> HTML {
        switch kind {
        case .success: "<div class=\"message message-success\" role=\"status\"><p>\(text)</p></div>"
        case .warning: "<div class=\"message message-warning\" role=\"alert\"><p>\(text)</p></div>"
        case .error: "<div class=\"message message-error\" role=\"alert\"><p>\(text)</p></div>"
        case .info: "<div class=\"message message-info\" role=\"status\"><p>\(text)</p></div>"
        }
    }

    /// The kinds of status message.
    enum MessageKind {
        case success, warning, error, info
    }

    /// The hidden CSRF field every form carries.
    static func csrfField(_ session: CitizenSession) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrfToken)\">"
    }
}
