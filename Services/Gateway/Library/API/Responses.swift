internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// Building responses: JSON, HTML, redirects.
enum Responses {
    /// `value` as JSON with `status`.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An HTML page.
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page.rendered)))
    }

    /// A 303 redirect to a local path.
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// An error as the JSON error shape.
    static func jsonError(_ error: GatewayError, correlationID: String) -> Response {
        var response = json(
            ErrorBody(
                error: ErrorBody.Detail(
                    code: error.code, message: error.message, reason: error.reason.isEmpty ? nil : error.reason,
                    correlationId: correlationID)),
            status: error.status)
        for field in error.headers {
            response.headers.append(field)
        }
        return response
    }
}
