internal import MKMessages

/// The office counter's page: start a BOK verification, show the counter code and the live
/// result (the page refreshes itself while the request is pending), cancel.
enum CounterPages {
    /// The start form.
    static func start(officeName: String, formToken: String, problem: String?) -> HTML {
        let error: HTML = problem.map { PortalLayout.message($0, kind: .error) } ?? ""
        return PortalLayout.page(
            title: "Přepážka – ověření BOK", session: nil, section: .none,
            content: """
                <h1>Ověření BOK – \(officeName)</h1>
                \(error)
                <form method="post" action="/prepazka/overeni" class="form">
                <input type="hidden" name="token" value="\(formToken)">
                <div class="field"><label for="counter">Označení přepážky</label>
                <input id="counter" name="counter" type="text" maxlength="64" required></div>
                <div class="field"><label for="subject">Identifikátor občana</label>
                <input id="subject" name="subject" type="text" maxlength="128" required autocomplete="off"></div>
                <div class="field"><label for="purpose">Účel ověření</label>
                <input id="purpose" name="purpose" type="text" maxlength="200" required></div>
                <div class="actions"><button type="submit" class="button">Zahájit ověření</button></div>
                </form>
                """)
    }

    /// A verification with its counter code (shown right after start) and state.
    static func verification(
        _ verification: Mk_Bok_V1_Verification, counterCode: String?, formToken: String
    ) -> HTML {
        let pending = verification.state == .pending
        let code: HTML =
            counterCode.map { code in
                """
                <p>Sdělte občanovi kód přepážky, který zadá do aplikace Mobilní klíč eGovernmentu:</p>
                <p class="activation-code">\(code)</p>
                """
            } ?? ""
        let cancel: HTML =
            pending
            ? """
            <form method="post" action="/prepazka/overeni/\(verification.requestId)/zrusit" class="form">
            <input type="hidden" name="token" value="\(formToken)">
            <button type="submit" class="button button-danger">Zrušit ověření</button></form>
            """
            : "<p><a class=\"button\" href=\"/prepazka\">Nové ověření</a></p>"
        return PortalLayout.page(
            title: "Přepážka – stav ověření", session: nil, section: .none,
            content: """
                <h1>Ověření BOK</h1>
                \(code)
                <p>Účel: \(verification.purpose)</p>
                <div class="message \(pending ? "message-info" : "message-success")" role="status" aria-live="polite">
                <p>Stav: <strong>\(stateText(verification.state))</strong></p></div>
                <p><a href="/prepazka/overeni/\(verification.requestId)">Obnovit stav</a></p>
                \(cancel)
                """,
            refreshSeconds: pending ? 3 : nil)
    }

    /// The state in Czech.
    static func stateText(_ state: Mk_Bok_V1_VerificationState) -> String {
        switch state {
        case .pending: "čeká na zadání BOK v aplikaci"
        case .verified: "ověřeno – BOK zadán správně"
        case .wrongBok: "nesprávný BOK"
        case .blocked: "nesprávný BOK – BOK je nyní zablokován"
        case .wrongCounterCode: "nesprávný kód přepážky – ověření zneplatněno"
        case .expired: "vypršelo"
        case .cancelled: "zrušeno"
        default: "neznámý stav"
        }
    }
}
