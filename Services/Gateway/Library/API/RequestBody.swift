internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// Reading request bodies with a size limit and the right content type.
enum RequestBody {
    /// The body's bytes: 413 above `limit`, checked on the declared length before reading.
    static func bytes(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw GatewayError.tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw GatewayError.tooLarge
        }
        return Array(buffer.readableBytesView)
    }

    /// Whether the request's media type is `type`, a lowercase ASCII media type (parameters such as
    /// charset ignored, case and blanks around it too), compared on the header's bytes.
    static func hasMediaType(_ request: Request, _ type: String) -> Bool {
        guard let value = request.headers[.contentType] else { return false }
        let mediaType = Substring(value).utf8.prefix { $0 != UInt8(ascii: ";") }
        return HeaderBytes.equalsIgnoringCase(HeaderBytes.trimmed(mediaType), type)
    }

    /// A JSON body decoded as `type`: 415 for another content type, 400 for malformed JSON.
    static func json<Value: Decodable>(_ type: Value.Type, _ request: Request, limit: Int) async throws -> Value {
        guard hasMediaType(request, "application/json") else { throw GatewayError.unsupportedMediaType }
        let bytes = try await Self.bytes(request, limit: limit)
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw GatewayError.badRequest("Tělo požadavku není platný JSON očekávaného tvaru.", reason: "MALFORMED_JSON")
        }
    }

    /// A URL-encoded form body: 415 for another content type, 400 when it does not parse.
    static func form(_ request: Request, limit: Int) async throws -> FormFields {
        guard hasMediaType(request, "application/x-www-form-urlencoded") else {
            throw GatewayError.unsupportedMediaType
        }
        let bytes = try await Self.bytes(request, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self), let fields = FormFields(encoded: text) else {
            throw GatewayError.badRequest("Formulář se nepodařilo přečíst.")
        }
        return fields
    }
}
