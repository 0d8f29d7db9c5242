internal import Foundation

/// The OpenAPI 3.1 description of the gateway's JSON APIs (the resource `openapi.json`), served at
/// `/api/v1/openapi.json`; the tests check every JSON answer against it.
enum OpenAPIDocument {
    /// The document's text, read once from the gateway's resources; a build without the resource
    /// is broken, so its absence stops the process at first use rather than serving nothing.
    static let json: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("the gateway's openapi.json resource is missing from the build") }
        return text
    }()
}
