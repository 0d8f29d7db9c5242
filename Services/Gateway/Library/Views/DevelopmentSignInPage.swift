/// The development identity provider's page: pick a demo citizen.
enum DevelopmentSignInPage {
    /// The page for the sign-in attempt with `nonce`.
    static func render(citizens: [DemoCitizen], nonce: String) -> HTML {
        let forms: [HTML] = citizens.map { citizen in
            """
            <li><form method="post" action="/dev-idp" class="inline-form">
            <input type="hidden" name="nonce" value="\(nonce)">
            <input type="hidden" name="subject" value="\(citizen.subject)">
            <button type="submit" class="button">Přihlásit jako \(citizen.name)</button>
            </form></li>
            """
        }
        return PortalLayout.page(
            title: "Vývojový poskytovatel identity", session: nil, section: .none,
            content: """
                <h1>Vývojový poskytovatel identity</h1>
                \(PortalLayout.message("Jen pro vývoj: přihlášení bez ověření totožnosti.", kind: .warning))
                <ul class="plain-list">\(forms)</ul>
                """)
    }
}
