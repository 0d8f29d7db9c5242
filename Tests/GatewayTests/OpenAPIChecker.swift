import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Gateway

/// Checks JSON answers against the served OpenAPI document: the status is documented for the
/// operation, the body is JSON, and every required property (recursively through `$ref`, objects
/// and arrays) is present with the documented JSON type.
enum OpenAPIChecker {
    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]) ?? [:]
    }

    /// Records an issue unless `response` to `method` `path` matches the document.
    static func check(
        _ response: TestResponse, _ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let paths = document["paths"] as? [String: Any] ?? [:]
        let parts = path.split(separator: "?")[0].split(separator: "/")
        // Of the templates matching the path and having the method, the one with the most literal
        // segments wins (`/office/v1/bok/unblock` over `/office/v1/bok/{subject}`).
        let operations = paths.compactMap { template, item -> (literals: Int, operation: [String: Any])? in
            let segments = template.split(separator: "/")
            guard segments.count == parts.count,
                zip(segments, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }),
                let operation = (item as? [String: Any])?[method.lowercased()] as? [String: Any]
            else { return nil }
            return (segments.filter { !$0.hasPrefix("{") }.count, operation)
        }
        guard let operation = operations.max(by: { $0.literals < $1.literals })?.operation else {
            Issue.record("\(method) \(path) is not in the OpenAPI document", sourceLocation: sourceLocation)
            return
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard let documented = responses[String(response.status.code)] as? [String: Any] else {
            Issue.record(
                "\(method) \(path) answered \(response.status.code), not documented", sourceLocation: sourceLocation)
            return
        }
        guard
            let schema = ((documented["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                as? [String: Any]
        else { return }
        guard let body = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) else {
            Issue.record("\(method) \(path): body is not JSON", sourceLocation: sourceLocation)
            return
        }
        validate(body, schema, at: "\(method) \(path)", sourceLocation: sourceLocation)
    }

    private static func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        let name = String(ref.split(separator: "/").last ?? "")
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return schemas?[name] as? [String: Any] ?? [:]
    }

    private static func validate(_ value: Any, _ schema: [String: Any], at path: String, sourceLocation: SourceLocation) {
        let schema = resolve(schema)
        let types: [String] = (schema["type"] as? String).map { [$0] } ?? (schema["type"] as? [String] ?? [])
        switch value {
        case let object as [String: Any]:
            guard types.isEmpty || types.contains("object") else {
                Issue.record("\(path): object where \(types) expected", sourceLocation: sourceLocation)
                return
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for required in schema["required"] as? [String] ?? [] where object[required] == nil {
                Issue.record("\(path): required property \(required) missing", sourceLocation: sourceLocation)
            }
            for (name, property) in object {
                guard let propertySchema = properties[name] as? [String: Any] else {
                    Issue.record("\(path): undocumented property \(name)", sourceLocation: sourceLocation)
                    continue
                }
                validate(property, propertySchema, at: "\(path).\(name)", sourceLocation: sourceLocation)
            }
        case let array as [Any]:
            guard types.contains("array"), let items = schema["items"] as? [String: Any] else {
                Issue.record("\(path): array where \(types) expected", sourceLocation: sourceLocation)
                return
            }
            for (index, element) in array.enumerated() {
                validate(element, items, at: "\(path)[\(index)]", sourceLocation: sourceLocation)
            }
        case is NSNull:
            if !types.contains("null") {
                Issue.record("\(path): null where \(types) expected", sourceLocation: sourceLocation)
            }
        case is NSNumber:
            if !types.contains("integer") && !types.contains("boolean") && !types.contains("number") {
                Issue.record("\(path): number or boolean where \(types) expected", sourceLocation: sourceLocation)
            }
        case is String:
            if !types.contains("string") {
                Issue.record("\(path): string where \(types) expected", sourceLocation: sourceLocation)
            }
        default:
            Issue.record("\(path): unexpected JSON value", sourceLocation: sourceLocation)
        }
    }
}
