internal import MKMessages

/// Renaming a key: one labelled field; an empty name restores the default.
enum RenamePage {
    /// The form, with `problem` shown when the last attempt was refused.
    static func render(device: Mk_Registry_V1_Device, session: CitizenSession, problem: String?) -> HTML {
        let error: HTML = problem.map { PortalLayout.message($0, kind: .error) } ?? ""
        let described: HTML = problem == nil ? "name-hint" : "name-hint name-error"
        return PortalLayout.page(
            title: "Přejmenování zařízení", session: session, section: .keys,
            content: """
                <h1>Přejmenování zařízení</h1>
                \(error)
                <form method="post" action="/mobilni-klice/\(device.deviceId)/prejmenovat" class="form">
                \(PortalLayout.csrfField(session))
                <div class="field">
                <label for="name">Název zařízení</label>
                <input id="name" name="name" type="text" maxlength="64" value="\(device.displayName)" \
                autocomplete="off" aria-describedby="\(described)">
                <p id="name-hint" class="hint">Nejvýše 64 znaků. Necháte-li pole prázdné, obnoví se výchozí název
                „\(device.deviceName) (\(device.model))“.</p>
                </div>
                <div class="actions">
                <button type="submit" class="button">Uložit</button>
                <a class="button button-secondary" href="/mobilni-klice">Zpět</a>
                </div>
                </form>
                """)
    }
}
