internal import MKMessages

/// The "Odpojit" confirmation; on the last identification means it shows the product
/// description's warning and needs an explicit tick.
enum UnpairPage {
    /// The warning on the last means, worded as in the product description.
    static let lastMeansWarning =
        "V případě, že nemáte jiný identifikační prostředek, přijdete o možnost přihlášení k portálu "
        + "Národního bodu i dalším online službám nejen veřejné správy."

    /// The confirmation page; `problem` when the last submission lacked the confirmation.
    static func render(
        device: Mk_Registry_V1_Device, lastMeans: Bool, session: CitizenSession, problem: String?
    ) -> HTML {
        let error: HTML = problem.map { PortalLayout.message($0, kind: .error) } ?? ""
        let warning: HTML =
            lastMeans
            ? """
            <div class="message message-warning" role="alert">
            <h2>Odpojujete svůj poslední identifikační prostředek</h2>
            <p>\(lastMeansWarning)</p>
            </div>
            <div class="field checkbox-field">
            <input id="confirm" name="confirm_last_means" type="checkbox" value="1" required>
            <label for="confirm">Rozumím a přesto chci zařízení odpojit.</label>
            </div>
            """
            : ""
        return PortalLayout.page(
            title: "Odpojení Mobilního klíče", session: session, section: .keys,
            content: """
                <h1>Odpojení Mobilního klíče</h1>
                \(error)
                <p>Opravdu chcete odpojit zařízení <strong>\(device.displayName)</strong> od svého profilu
                v Národním bodu? Aplikaci na něm pak nebude možné používat k přihlášení k Národnímu bodu.</p>
                <form method="post" action="/mobilni-klice/\(device.deviceId)/odpojit" class="form">
                \(PortalLayout.csrfField(session))
                \(warning)
                <div class="actions">
                <button type="submit" class="button button-danger">Odpojit</button>
                <a class="button button-secondary" href="/mobilni-klice">Zpět</a>
                </div>
                </form>
                """)
    }
}
