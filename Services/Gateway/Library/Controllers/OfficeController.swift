internal import Hummingbird
internal import MKContracts
internal import MKMessages

/// The office credential API (`/office/v1/…`), with office credentials: set a citizen's BOK when
/// the identity card is collected, unblock or replace it, remove it, read its state. The office is
/// always the authenticated caller, never a value from the body; the BOK passes through to the BOK
/// service and is never logged or echoed.
struct OfficeController {
    let dependencies: GatewayDependencies

    private var backends: GatewayBackends { dependencies.backends }
    private var bodyLimit: Int { dependencies.configuration.maximumBodyBytes }
    private var guardian: CallerGuard { CallerGuard(dependencies: dependencies) }

    func register(_ routes: RouteRegistrar) {
        routes.post("/office/v1/bok") { request, context in
            let office = try guardian.require(.office, request, context)
            let body = try await RequestBody.json(APIModels.SetBok.self, request, limit: bodyLimit)
            let code = try checked(code: body.code)
            let subject = try checked(subject: body.subject, office: office)
            let response = try await backends.bok.setBok(
                Mk_Bok_V1_SetBokRequest(office: credentialOffice(office), subject: subject, code: code))
            return Responses.json(APIModels.BokChanged(state: WireNames.bokState(response.state)), status: .created)
        }
        routes.post("/office/v1/bok/unblock") { request, context in
            let office = try guardian.require(.office, request, context)
            let body = try await RequestBody.json(APIModels.UnblockBok.self, request, limit: bodyLimit)
            let code = try checked(code: body.newCode)
            let subject = try checked(subject: body.subject, office: office)
            let response = try await backends.bok.unblockBok(
                Mk_Bok_V1_UnblockBokRequest(office: credentialOffice(office), subject: subject, newCode: code))
            return Responses.json(APIModels.BokChanged(state: WireNames.bokState(response.state)))
        }
        routes.delete("/office/v1/bok/{subject}") { request, context in
            let office = try guardian.require(.office, request, context)
            let subject = try checked(subject: context.parameters.get("subject") ?? "", office: office)
            let response = try await backends.bok.clearBok(
                Mk_Bok_V1_ClearBokRequest(office: credentialOffice(office), subject: subject))
            return Responses.json(APIModels.BokChanged(state: WireNames.bokState(response.state)))
        }
        routes.get("/office/v1/bok/{subject}") { request, context in
            _ = try guardian.require(.office, request, context)
            let subject = context.parameters.get("subject") ?? ""
            guard SubjectIdentifier.isValid(subject) else { throw Self.badSubject }
            let status = try await backends.bok.getBokStatus(Mk_Bok_V1_GetBokStatusRequest(subject: subject))
            return Responses.json(WireNames.bok(status))
        }
    }

    private static let badSubject = GatewayError.badRequest(
        "Identifikátor občana má nesprávný tvar.", reason: "INVALID_SUBJECT")

    /// The office as the BOK service knows it, from the credentials; no counter for credential calls.
    private func credentialOffice(_ office: CallerCredential) -> Mk_Bok_V1_Office {
        Mk_Bok_V1_Office(officeId: office.id, officeName: office.name)
    }

    /// A well-formed subject; changes are rate-limited per office and citizen (each costs a slow hash).
    private func checked(subject: String, office: CallerCredential) throws -> String {
        guard SubjectIdentifier.isValid(subject) else { throw Self.badSubject }
        try RateLimits.check(dependencies.limits.bok, "office-credential:\(office.id):\(subject)")
        return subject
    }

    /// A BOK of 4 to 10 ASCII digits; the message never repeats what was sent.
    private func checked(code: String) throws -> String {
        let digits = code.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard digits, (4...10).contains(code.utf8.count) else {
            throw GatewayError.badRequest("BOK musí mít 4 až 10 číslic (jen číslice 0–9).", reason: "INVALID_BOK")
        }
        return code
    }
}
