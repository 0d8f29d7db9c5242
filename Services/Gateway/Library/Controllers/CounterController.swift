internal import Foundation
internal import Hummingbird
internal import MKContracts
internal import MKMessages

/// The office counter: the JSON API (`/counter/v1/…`) and the counter page (`/prepazka`), both
/// with office credentials. Start a BOK verification, read its live state, cancel it.
struct CounterController {
    let dependencies: GatewayDependencies

    private var backends: GatewayBackends { dependencies.backends }
    private var bodyLimit: Int { dependencies.configuration.maximumBodyBytes }
    private var guardian: CallerGuard { CallerGuard(dependencies: dependencies) }

    func register(_ routes: RouteRegistrar) {
        routes.post("/counter/v1/verifications") { request, context in
            let office = try guardian.require(.office, request, context)
            let body = try await RequestBody.json(APIModels.StartVerification.self, request, limit: bodyLimit)
            let started = try await start(office: office, counterID: body.counterId, subject: body.subject,
                purpose: body.purpose)
            return Responses.json(
                APIModels.StartedVerification(
                    requestId: started.requestId, counterCode: started.counterCode,
                    expiresAt: CzechTime.iso8601(micros: started.expiresAtUnixMicros)),
                status: .created)
        }
        routes.get("/counter/v1/verifications/{id}") { request, context in
            let office = try guardian.require(.office, request, context)
            return Responses.json(WireNames.verification(try await read(office, try PathID.uuid(context))))
        }
        routes.post("/counter/v1/verifications/{id}/cancel") { request, context in
            let office = try guardian.require(.office, request, context)
            return Responses.json(WireNames.verification(try await cancel(office, try PathID.uuid(context))))
        }
        routes.get("/prepazka") { request, context in
            let office = try guardian.require(.office, request, context, challenge: "Prepazka")
            return Responses.html(CounterPages.start(officeName: office.name, formToken: token(office), problem: nil))
        }
        routes.post("/prepazka/overeni") { request, context in try await startFromPage(request, context) }
        routes.get("/prepazka/overeni/{id}") { request, context in
            let office = try guardian.require(.office, request, context, challenge: "Prepazka")
            let verification = try await read(office, try PathID.uuid(context))
            return Responses.html(
                CounterPages.verification(verification, counterCode: nil, formToken: token(office)))
        }
        routes.post("/prepazka/overeni/{id}/zrusit") { request, context in
            let office = try guardian.require(.office, request, context, challenge: "Prepazka")
            let form = try await RequestBody.form(request, limit: bodyLimit)
            try checkToken(form["token"], office)
            let verification = try await cancel(office, try PathID.uuid(context))
            return Responses.redirect("/prepazka/overeni/\(verification.requestId)")
        }
    }

    /// The counter page's form token: a keyed tag of the office id. Basic credentials travel with
    /// every browser request, so forms need a token a foreign page cannot know.
    private func token(_ office: CallerCredential) -> String {
        dependencies.sealer.tag("counter-form:\(office.id)")
    }

    private func checkToken(_ presented: String?, _ office: CallerCredential) throws {
        guard let presented, Base64URL.constantTimeEqual(presented, token(office)) else { throw GatewayError.csrf }
    }

    private func start(office: CallerCredential, counterID: String, subject: String, purpose: String) async throws
        -> Mk_Bok_V1_StartVerificationResponse
    {
        try RateLimits.check(dependencies.limits.bok, "office:\(office.id):\(subject)")
        guard SubjectIdentifier.isValid(subject) else {
            throw GatewayError.badRequest("Identifikátor občana má nesprávný tvar.")
        }
        return try await backends.bok.startVerification(
            Mk_Bok_V1_StartVerificationRequest(
                office: Mk_Bok_V1_Office(officeId: office.id, officeName: office.name, counterId: counterID),
                subject: subject, purpose: purpose))
    }

    private func read(_ office: CallerCredential, _ id: String) async throws -> Mk_Bok_V1_Verification {
        let response = try await backends.bok.getVerification(
            Mk_Bok_V1_GetVerificationRequest(
                office: Mk_Bok_V1_Office(officeId: office.id, officeName: office.name), requestId: id))
        guard let verification = response.verification else { throw GatewayError.notFound }
        return verification
    }

    private func cancel(_ office: CallerCredential, _ id: String) async throws -> Mk_Bok_V1_Verification {
        let response = try await backends.bok.cancelVerification(
            Mk_Bok_V1_CancelVerificationRequest(
                office: Mk_Bok_V1_Office(officeId: office.id, officeName: office.name), requestId: id))
        guard let verification = response.verification else { throw GatewayError.notFound }
        return verification
    }

    private func startFromPage(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let office = try guardian.require(.office, request, context, challenge: "Prepazka")
        let form = try await RequestBody.form(request, limit: bodyLimit)
        try checkToken(form["token"], office)
        let started: Mk_Bok_V1_StartVerificationResponse
        do {
            started = try await start(
                office: office, counterID: form["counter"] ?? "", subject: form["subject"] ?? "",
                purpose: form["purpose"] ?? "")
        } catch let error as GatewayError where error.status == .badRequest {
            return Responses.html(
                CounterPages.start(officeName: office.name, formToken: token(office), problem: error.message),
                status: .badRequest)
        }
        let verification = try await read(office, started.requestId)
        return Responses.html(
            CounterPages.verification(verification, counterCode: started.counterCode, formToken: token(office)),
            status: .created)
    }
}
