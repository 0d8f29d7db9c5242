internal import MKMessages

/// "Nastavení notifikací": the grid of channels × Informativní notifikace / Přihlášení k NB /
/// BOK-pad, saved together with one "Uložit".
enum SettingsPage {
    /// The message after a save lost to a concurrent change.
    static let staleMessage =
        "Změny nebyly uloženy, protože nastavení mezitím změnil někdo jiný (například v jiném okně). "
        + "Níže vidíte aktuální stav; proveďte prosím změny znovu a uložte je."

    /// The page.
    static func render(
        settings: Mk_Preferences_V1_Settings, bok: Mk_Bok_V1_GetBokStatusResponse, session: CitizenSession,
        message: HTML
    ) -> HTML {
        let contactRows: [HTML] = settings.contacts.map(contactRow)
        let deviceRows: [HTML] = settings.devices.map {
            deviceRow($0, name: $0.displayName.isEmpty ? "Mobilní klíč" : $0.displayName)
        }
        let noDevices: HTML =
            settings.devices.isEmpty
            ? "<tr><td colspan=\"4\">Nemáte připojen žádný Mobilní klíč eGovernmentu.</td></tr>" : ""
        return PortalLayout.page(
            title: "Nastavení notifikací", session: session, section: .settings,
            content: """
                <h1>Nastavení notifikací</h1>
                \(message)
                <p class="lead">Zvolte, na které komunikační kanály chcete dostávat notifikace a která zařízení chcete
                využívat jako BOK-pad. Změny uložíte tlačítkem „Uložit“.</p>
                <form method="post" action="/nastaveni-notifikaci" class="form">
                \(PortalLayout.csrfField(session))
                <input type="hidden" name="version" value="\(String(settings.version))">
                <div class="table-wrap">
                <table class="grid">
                <caption>Komunikační kanály a nastavení notifikací</caption>
                <thead><tr><th scope="col">Komunikační kanál</th><th scope="col">Informativní notifikace</th>
                <th scope="col">Přihlášení k NB</th><th scope="col">BOK-pad</th></tr></thead>
                <tbody>
                <tr class="group"><th scope="rowgroup" colspan="4">Vaše údaje</th></tr>
                \(contactRows)
                <tr class="group"><th scope="rowgroup" colspan="4">Mobilní klíče</th></tr>
                \(deviceRows)\(noDevices)
                </tbody>
                </table>
                </div>
                <div class="actions"><button type="submit" class="button">Uložit</button></div>
                </form>
                \(BokStatusNote.render(bok))
                <h2>Vysvětlivky</h2>
                <dl class="legend">
                <dt>Informativní notifikace</dt><dd>Zprávy informativního charakteru, například od orgánů veřejné moci.
                Vaše kontaktní údaje nikomu nepředáváme, ani orgán veřejné moci od nás nezíská e-mailovou adresu či
                telefonní číslo.</dd>
                <dt>Přihlášení k NB</dt><dd>Informace o tom, že právě proběhlo Vaše přihlášení k Národnímu bodu
                jakýmkoliv identifikačním prostředkem. Zasílá se pouze na mobilní zařízení.</dd>
                <dt>BOK-pad</dt><dd>Zařízení můžete využívat k zadání bezpečnostního osobního kódu (BOK) při
                prezenčním ověření na úřadu. Při připojení mobilního klíče se zapne automaticky.</dd>
                </dl>
                """)
    }

    private static let notApplicable: HTML =
        "<td class=\"na\"><span aria-hidden=\"true\">—</span><span class=\"visually-hidden\">nelze nastavit</span></td>"

    private static func contactRow(_ row: Mk_Preferences_V1_ContactSetting) -> HTML {
        let isEmail = row.channel == .email
        let label = isEmail ? "Notifikační e-mail" : "Mobilní telefon (SMS)"
        let key = isEmail ? "email" : "sms"
        let address: HTML =
            row.present
            ? "<span class=\"address\">\(row.address)</span>"
            : "<span class=\"address missing\">nevyplněno – <a href=\"/vase-udaje\">doplnit ve Vašich údajích</a></span>"
        return """
            <tr><th scope="row">\(label)<br>\(address)</th>
            \(checkbox("\(key).informative", on: row.informative, label: "Informativní notifikace – \(label)"))
            \(notApplicable)\(notApplicable)</tr>
            """
    }

    private static func deviceRow(_ row: Mk_Preferences_V1_DeviceSetting, name: String) -> HTML {
        let prefix = "device.\(row.deviceId)"
        return """
            <tr><th scope="row">\(name)<input type="hidden" name="device" value="\(row.deviceId)"></th>
            \(checkbox("\(prefix).informative", on: row.informative, label: "Informativní notifikace – \(name)"))
            \(checkbox("\(prefix).login", on: row.login, label: "Přihlášení k NB – \(name)"))
            \(checkbox("\(prefix).bokPad", on: row.bokPad, label: "BOK-pad – \(name)"))</tr>
            """
    }

    private static func checkbox(_ name: String, on: Bool, label: String) -> HTML {
        let checked: HTML = on ? " checked" : ""
        return """
            <td><input type="checkbox" id="\(name)" name="\(name)" value="1"\(checked)>\
            <label for="\(name)" class="visually-hidden">\(label)</label></td>
            """
    }
}
