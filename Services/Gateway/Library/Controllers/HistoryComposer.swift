internal import MKContracts
internal import MKMessages

/// The citizen's history from all three services, fetched in parallel and merged newest first.
struct HistoryComposer {
    let backends: GatewayBackends

    /// The merged entries (at most 300).
    func entries(subject: String) async throws -> [HistoryPage.Entry] {
        async let keys = backends.registry.listDeviceHistory(
            Mk_Registry_V1_ListDeviceHistoryRequest(subject: subject, limit: 100))
        async let verifications = backends.bok.listVerificationHistory(
            Mk_Bok_V1_ListVerificationHistoryRequest(subject: subject, limit: 100))
        async let notices = backends.preferences.listNotices(
            Mk_Preferences_V1_ListNoticesRequest(subject: subject, limit: 100))
        var entries = try await keys.entries.map(Self.entry)
        entries += try await verifications.entries.map { entry in
            HistoryPage.Entry(
                atMicros: entry.startedAtUnixMicros, event: "Ověření BOK",
                detail: "\(entry.officeName) – \(entry.purpose): \(CounterPages.stateText(entry.state))")
        }
        entries += try await notices.notices.map { notice in
            HistoryPage.Entry(atMicros: notice.createdAtUnixMicros, event: "Notifikace", detail: notice.title)
        }
        return Array(entries.sorted { $0.atMicros > $1.atMicros }.prefix(300))
    }

    private static func entry(_ entry: Mk_Registry_V1_HistoryEntry) -> HistoryPage.Entry {
        let event: String
        var detail = entry.deviceDisplayName
        switch entry.action {
        case .paired: event = "Připojení Mobilního klíče"
        case .renamed:
            event = "Přejmenování zařízení"
            detail = "nový název: \(entry.detail)"
        case .unpaired:
            event = "Odpojení Mobilního klíče"
            let why = entry.detail.hasSuffix("NOT_ME") ? " (Nebyl jsem to já)" : ""
            detail = entry.deviceDisplayName + why
        case .signedIn:
            event = "Přihlášení k Národnímu bodu"
            detail = [entry.deviceDisplayName, meansName(entry.detail), entry.origin].filter { !$0.isEmpty }
                .joined(separator: " – ")
        default: event = "Událost"
        }
        return HistoryPage.Entry(atMicros: entry.atUnixMicros, event: event, detail: detail)
    }

    private static func meansName(_ name: String) -> String {
        switch name {
        case "MEANS_KIND_MOBILE_KEY", "MOBILE_KEY": "Mobilní klíč"
        case "MEANS_KIND_EOP", "EOP": "eObčanka"
        case "MEANS_KIND_BANK_IDENTITY", "BANK_IDENTITY": "bankovní identita"
        case "MEANS_KIND_NIA_ID", "NIA_ID": "NIA ID"
        case "": ""
        default: "jiný prostředek"
        }
    }
}
