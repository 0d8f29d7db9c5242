internal import Foundation
internal import MKMessages

/// A notification's texts in Czech: the title and body for e-mail and the key's inbox, and the
/// short SMS text. None contains a code, a token or a phone number.
struct NoticeText: Sendable, Equatable {
    var title: String
    var body: String
    var smsText: String

    /// The e-mail body of a notification of `kind` whose inbox body is `body`: an authority's
    /// message is introduced with its sender; every e-mail ends with the same footer.
    static func emailBody(kind: Mk_Preferences_V1_InboxKind, sender: String, title: String, body: String) -> String {
        guard kind == .informative else { return body + footer }
        return """
            \(sender) Vám prostřednictvím Národního bodu zasílá tuto zprávu:

            \(title)

            \(body)

            Odesílatel nezná Vaši e-mailovou adresu ani telefonní číslo. Zasílání informativních \
            notifikací můžete vypnout v Nastavení notifikací na portálu Národního bodu.
            """ + footer
    }

    /// The longest SMS text (two concatenated segments of Unicode SMS).
    static let maximumSMSLength = 134

    /// The footer of every e-mail.
    private static let footer = """


        --
        Tuto zprávu Vám zaslal Národní bod pro identifikaci a autentizaci. Na zprávu neodpovídejte.
        """

    /// An authority's informative notification.
    static func informative(authority: String, title: String, body: String) -> NoticeText {
        NoticeText(
            title: title,
            body: body,
            smsText: shortened("\(authority): \(title)"))
    }

    /// A sign-in notice.
    static func login(means: String, at: Date, origin: String) -> NoticeText {
        let place = origin.isEmpty ? "" : " (\(origin))"
        return NoticeText(
            title: "Přihlášení k Národnímu bodu",
            body: "\(formatted(at)) proběhlo přihlášení k Vašemu profilu v Národním bodu prostředkem "
                + "\(meansName(means))\(place). Pokud jste to nebyl(a) Vy, zvolte „Nebyl jsem to já“.",
            smsText: shortened("Národní bod: přihlášení k Vašemu profilu \(formatted(at))."))
    }

    /// The independent notice of a new key.
    static func paired(deviceName: String, at: Date) -> NoticeText {
        NoticeText(
            title: "Připojen nový Mobilní klíč",
            body: "\(formatted(at)) byl k Vašemu profilu v Národním bodu připojen Mobilní klíč „\(deviceName)“. "
                + "Pokud jste to nebyl(a) Vy, odpojte jej volbou „Nebyl jsem to já“ v aplikaci nebo na portálu "
                + "Národního bodu.",
            smsText: shortened(
                "Národní bod: k Vašemu profilu byl připojen nový Mobilní klíč. Pokud jste to nebyl(a) Vy, odpojte jej."))
    }

    /// The notice of a key's disconnection.
    static func unpaired(deviceName: String, at: Date, noMeansLeft: Bool) -> NoticeText {
        let warning =
            noMeansLeft
            ? " Nemáte připojen žádný jiný identifikační prostředek, přihlášení k Národnímu bodu proto nebude možné."
            : ""
        return NoticeText(
            title: "Mobilní klíč odpojen",
            body: "\(formatted(at)) byl od Vašeho profilu v Národním bodu odpojen Mobilní klíč „\(deviceName)“."
                + warning,
            smsText: shortened("Národní bod: od Vašeho profilu byl odpojen Mobilní klíč."))
    }

    /// A BOK receipt.
    static func bok(_ outcome: Mk_Events_V1_BokOutcome, at: Date) -> NoticeText {
        let when = formatted(at)
        let office = outcome.officeName.isEmpty ? "úřad" : outcome.officeName
        let purpose = outcome.purpose.isEmpty ? "" : " Účel: \(outcome.purpose)."
        let body: String
        switch outcome.result {
        case .verified:
            body = "\(when) jste na přepážce \(office) ověřil(a) svou totožnost bezpečnostním osobním kódem (BOK).\(purpose)"
        case .wrongBok:
            body = "\(when) byl na přepážce \(office) zadán chybný bezpečnostní osobní kód (BOK). "
                + "Zbývající pokusy do zablokování: \(outcome.attemptsLeft).\(purpose)"
        case .blocked:
            body = "\(when) byl Váš bezpečnostní osobní kód (BOK) po třetím chybném zadání zablokován "
                + "(přepážka \(office)). Odblokovat jej lze na úřadu obce s rozšířenou působností."
        case .wrongCounterCode:
            body = "\(when) bylo ověření BOK pro přepážku \(office) zrušeno, protože nebyl zadán správný kód z přepážky."
        case .expired:
            body = "\(when) vypršela žádost přepážky \(office) o ověření BOK bez odpovědi."
        case .cancelled:
            body = "\(when) přepážka \(office) zrušila žádost o ověření BOK."
        case .unblocked:
            body = "\(when) byl na úřadu \(office) odblokován Váš bezpečnostní osobní kód (BOK)."
        case .set:
            body = "\(when) byl na úřadu \(office) nastaven Váš bezpečnostní osobní kód (BOK)."
        case .cleared:
            body = "\(when) byl na úřadu \(office) zrušen Váš bezpečnostní osobní kód (BOK)."
        case .started:
            body = "\(when) žádá přepážka \(office) o ověření Vaší totožnosti bezpečnostním osobním kódem (BOK)."
                + "\(purpose) Zadejte v aplikaci kód zobrazený na přepážce a poté svůj BOK."
        case .unspecified, .unrecognized:
            body = "\(when) došlo ke změně týkající se Vašeho bezpečnostního osobního kódu (BOK)."
        }
        return NoticeText(
            title: "Bezpečnostní osobní kód (BOK)", body: body,
            smsText: shortened("Národní bod: změna týkající se Vašeho BOK, podrobnosti v aplikaci Mobilní klíč."))
    }

    /// The Czech name of a means ("MOBILE_KEY" …).
    static func meansName(_ means: String) -> String {
        switch means {
        case "MOBILE_KEY": "Mobilní klíč eGovernmentu"
        case "EOP": "elektronický občanský průkaz"
        case "BANK_IDENTITY": "bankovní identita"
        case "NIA_ID": "NIA ID"
        default: "jiný identifikační prostředek"
        }
    }

    /// "Dne 5. 3. 2026 v 14:07" in Prague time. From calendar fields rather than a `DateFormatter`:
    /// creating one per notice (they are not safe to share) cost more than the rest of a sign-in
    /// notice.
    static func formatted(_ date: Date) -> String {
        let parts = pragueCalendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        let minute = parts.minute ?? 0
        return "Dne \(parts.day ?? 0). \(parts.month ?? 0). \(parts.year ?? 0) v \(parts.hour ?? 0):"
            + (minute < 10 ? "0\(minute)" : "\(minute)")
    }

    /// The Gregorian calendar in Prague's time zone (a value, safe to share).
    private static let pragueCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Prague") ?? .gmt
        return calendar
    }()

    private static func shortened(_ text: String) -> String {
        text.count <= maximumSMSLength ? text : String(text.prefix(maximumSMSLength - 1)) + "…"
    }
}
