internal import MKMessages

/// "Vaše údaje": the notification e-mail and mobile phone number.
enum ContactsPage {
    /// The form.
    static func render(contacts: Mk_Preferences_V1_Contacts, session: CitizenSession, message: HTML) -> HTML {
        PortalLayout.page(
            title: "Vaše údaje", session: session, section: .contacts,
            content: """
                <h1>Vaše údaje</h1>
                \(message)
                <p class="lead">Notifikační e-mailová adresa a mobilní telefonní číslo. Na ně můžete dostávat
                informativní notifikace; zapnete je v <a href="/nastaveni-notifikaci">nastavení notifikací</a>.
                Orgány veřejné moci se Vaše kontaktní údaje nedozvědí.</p>
                <form method="post" action="/vase-udaje" class="form">
                \(PortalLayout.csrfField(session))
                <div class="field"><label for="email">Notifikační e-mail</label>
                <input id="email" name="email" type="email" maxlength="254" autocomplete="email" \
                value="\(contacts.email)"></div>
                <div class="field"><label for="phone">Mobilní telefon</label>
                <input id="phone" name="phone" type="tel" maxlength="20" autocomplete="tel" \
                value="\(contacts.phone)" aria-describedby="phone-hint">
                <p id="phone-hint" class="hint">Například +420 601 123 456. Prázdné pole údaj odstraní.</p></div>
                <div class="actions"><button type="submit" class="button">Uložit</button></div>
                </form>
                """)
    }
}
