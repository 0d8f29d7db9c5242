internal import MKMessages

/// "Správa mobilních klíčů": each key with its name, rename pencil, connection and last-use
/// dates, and "Odpojit"; links to the notification settings and to connecting another key.
enum KeyListPage {
    /// The page.
    static func render(
        devices: [Mk_Registry_V1_Device], bok: Mk_Bok_V1_GetBokStatusResponse, session: CitizenSession,
        notice: String?
    ) -> HTML {
        let flash: HTML = notice.map { PortalLayout.message($0, kind: .success) } ?? ""
        let list: HTML =
            devices.isEmpty
            ? "<p class=\"empty\">K Národnímu bodu nemáte připojen žádný Mobilní klíč eGovernmentu.</p>"
            : "<ul class=\"key-list\">\(devices.map(row))</ul>"
        return PortalLayout.page(
            title: "Správa mobilních klíčů", session: session, section: .keys,
            content: """
                <h1>Správa mobilních klíčů</h1>
                \(flash)
                <p class="lead">Přehled Vašich zařízení s nainstalovanou aplikací Mobilní klíč eGovernmentu, která
                jsou připojena k Národnímu bodu. U každého zařízení vidíte datum a čas jeho připojení
                a posledního použití.</p>
                <div class="actions">
                <a class="button" href="/nastaveni-notifikaci">Nastavení notifikací</a>
                <a class="button button-secondary" href="/pripojeni">Připojení Mobilního klíče</a>
                </div>
                <h2>Připojená zařízení</h2>
                \(list)
                \(BokStatusNote.render(bok))
                """)
    }

    private static func row(_ device: Mk_Registry_V1_Device) -> HTML {
        """
        <li class="key-card">
        <div class="key-name"><h3>\(device.displayName)</h3>
        <a class="icon-link" href="/mobilni-klice/\(device.deviceId)/prejmenovat" \
        aria-label="Přejmenovat zařízení \(device.displayName)" title="Přejmenovat">\(Icons.pencil)</a></div>
        <dl class="key-facts">
        <div><dt>Připojeno</dt><dd>\(CzechTime.format(micros: device.pairedAtUnixMicros, absent: "neznámo"))</dd></div>
        <div><dt>Poslední použití</dt><dd>\(CzechTime.format(micros: device.lastUsedAtUnixMicros))</dd></div>
        </dl>
        <a class="button button-danger" href="/mobilni-klice/\(device.deviceId)/odpojit">Odpojit</a>
        </li>
        """
    }
}
