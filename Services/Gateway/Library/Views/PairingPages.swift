internal import MKMessages

/// "Připojení Mobilního klíče": the start page, the activation code (text and QR) with its
/// validity and a status that updates when the app redeems the code, and the outcome.
enum PairingPages {
    /// The start page with the button that issues a code.
    static func start(session: CitizenSession, problem: String?) -> HTML {
        let error: HTML = problem.map { PortalLayout.message($0, kind: .error) } ?? ""
        return PortalLayout.page(
            title: "Připojení Mobilního klíče", session: session, section: .pairing,
            content: """
                <h1>Připojení Mobilního klíče</h1>
                \(error)
                <ol class="steps">
                <li>Nainstalujte si do mobilního zařízení aplikaci Mobilní klíč eGovernmentu.</li>
                <li>Nechte si zde vygenerovat aktivační kód.</li>
                <li>V aplikaci zvolte připojení k Národnímu bodu a opište kód, nebo načtěte QR kód.</li>
                </ol>
                <form method="post" action="/pripojeni" class="form">
                \(PortalLayout.csrfField(session))
                <button type="submit" class="button">Získat aktivační kód</button>
                </form>
                """)
    }

    /// The page showing a fresh code. The code is shown only here, once.
    static func code(
        _ pairing: Mk_Registry_V1_StartPairingResponse, qrSVG: HTML, session: CitizenSession
    ) -> HTML {
        let grouped = groupedCode(pairing.activationCode)
        let until = CzechTime.format(micros: pairing.expiresAtUnixMicros, absent: "")
        let minutes = max(1, Int((pairing.expiresAtUnixMicros - CzechTime.nowMicros()) / 60_000_000))
        return PortalLayout.page(
            title: "Aktivační kód", session: session, section: .pairing,
            content: """
                <h1>Připojení Mobilního klíče</h1>
                <p>V aplikaci Mobilní klíč eGovernmentu zadejte tento aktivační kód, nebo načtěte QR kód.</p>
                <div class="pairing">
                <p class="activation-code" aria-label="Aktivační kód \(pairing.activationCode)">\(grouped)</p>
                <figure class="qr">\(qrSVG)<figcaption>QR kód s aktivačním kódem</figcaption></figure>
                </div>
                <p>Kód platí do <strong>\(until)</strong> (přibližně \(minutes) min) a lze jej použít jen jednou.
                Nikomu jej nesdělujte.</p>
                <div id="pairing-status" class="message message-info" role="status" aria-live="polite" \
                data-pairing-id="\(pairing.pairingId)">
                <p>Čekáme na připojení zařízení…</p></div>
                <p><a class="button button-secondary" href="/pripojeni/\(pairing.pairingId)">Zkontrolovat stav \
                připojení</a></p>
                """)
    }

    /// The state of a pairing session.
    static func status(_ state: Mk_Registry_V1_GetPairingResponse, pairingID: String, session: CitizenSession)
        -> HTML
    {
        let body: HTML
        switch state.state {
        case .completed:
            let text = "Mobilní klíč byl úspěšně připojen. Zapnuli jsme u něj využívání jako BOK-pad; "
                + "změnit to můžete v nastavení notifikací."
            body = """
                \(PortalLayout.message(text, kind: .success))
                <div class="actions"><a class="button" href="/mobilni-klice">Zobrazit mobilní klíče</a>
                <a class="button button-secondary" href="/nastaveni-notifikaci">Nastavení notifikací</a></div>
                """
        case .pending:
            let text = "Čekáme na připojení zařízení. Kód platí do "
                + CzechTime.format(micros: state.expiresAtUnixMicros, absent: "") + "."
            body = """
                \(PortalLayout.message(text, kind: .info))
                <p><a class="button button-secondary" href="/pripojeni/\(pairingID)">Zkontrolovat znovu</a></p>
                """
        default:
            body = """
                \(PortalLayout.message("Platnost aktivačního kódu vypršela. Vygenerujte si prosím nový.", kind: .warning))
                <p><a class="button" href="/pripojeni">Získat nový aktivační kód</a></p>
                """
        }
        return PortalLayout.page(
            title: "Stav připojení", session: session, section: .pairing,
            content: """
                <h1>Připojení Mobilního klíče</h1>
                \(body)
                """)
    }

    /// `ABCDEFGHJK` as `ABCDE-FGHJK` for reading aloud and typing.
    static func groupedCode(_ code: String) -> String {
        guard code.count > 5 else { return code }
        let middle = code.index(code.startIndex, offsetBy: code.count / 2)
        return "\(code[..<middle])-\(code[middle...])"
    }
}
