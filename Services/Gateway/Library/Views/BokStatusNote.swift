internal import MKMessages

/// The BOK's state in plain Czech: "BOK nemáte nastaven" is a normal state, not an error.
enum BokStatusNote {
    /// The note for `status`.
    static func render(_ status: Mk_Bok_V1_GetBokStatusResponse) -> HTML {
        switch status.state {
        case Mk_Bok_V1_BokState.none:
            return PortalLayout.message(
                "BOK nemáte nastaven. Bezpečnostní osobní kód si můžete nastavit na úřadu obce s rozšířenou "
                    + "působností; do té doby zařízení jako BOK-pad nepoužijete.", kind: .info)
        case .blocked:
            return PortalLayout.message(
                "Váš BOK je zablokován po třech chybných zadáních. Odblokovat jej lze na úřadu obce "
                    + "s rozšířenou působností.", kind: .warning)
        case .active:
            return PortalLayout.message(
                "BOK máte nastaven. Zbývající pokusy před zablokováním: \(status.attemptsLeft).", kind: .info)
        default:
            return ""
        }
    }
}
