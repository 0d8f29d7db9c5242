import CMKProto
import CProtobufC
import MKMessages
import MKRPC
import Testing

/// The generated fixtures and service APIs cover exactly what protoc-c's descriptors declare.
@Suite struct CoverageTests {
    private static func cStrings<T>(
        _ list: UnsafePointer<UnsafePointer<T>?>, _ name: (T) -> UnsafePointer<CChar>
    ) -> [String] {
        var result: [String] = []
        var cursor = list
        while let element = cursor.pointee {
            result.append(String(cString: name(element.pointee)))
            cursor += 1
        }
        return result
    }

    @Test func everyMessageInTheDescriptorTableHasAContractFixture() {
        let declared = Self.cStrings(mk_proto_all_messages()) { $0.name }
        let covered = ContractFixture.all.map(\.messageName)
        #expect(Set(covered) == Set(declared))
        #expect(covered.count == declared.count, "a message has two fixtures")
    }

    @Test func everyFixtureSetsEveryField() {
        var descriptor = mk_proto_all_messages()!
        let fixtures = Dictionary(uniqueKeysWithValues: ContractFixture.all.map { ($0.messageName, $0) })
        while let message = descriptor.pointee {
            let name = String(cString: message.pointee.name)
            let text = fixtures[name]?.textFormat ?? ""
            for i in 0..<Int(message.pointee.n_fields) {
                let field = String(cString: message.pointee.fields[i].name)
                #expect(text.contains("\(field): ") || text.contains("\(field) {"), "\(name).\(field) is not set")
            }
            descriptor += 1
        }
    }

    @Test func everyServiceMethodHasADescriptorAndAHandler() {
        var descriptor = mk_proto_all_services()!
        let fixtures = Dictionary(uniqueKeysWithValues: ServiceFixture.all.map { ($0.serviceName, $0) })
        var seen = 0
        while let service = descriptor.pointee {
            seen += 1
            let name = String(cString: service.pointee.name)
            let methods = (0..<Int(service.pointee.n_methods)).map { String(cString: service.pointee.methods[$0].name) }
            guard let fixture = fixtures[name] else {
                Issue.record("no generated API for \(name)")
                descriptor += 1
                continue
            }
            #expect(fixture.methods.map(\.method) == methods)
            #expect(fixture.methods.allSatisfy { $0.service == name })
            #expect(fixture.handlers.map(\.descriptor) == fixture.methods)
            for method in fixture.methods {
                let readOnly = ["Get", "List", "Check"].contains { method.method.hasPrefix($0) }
                #expect(method.isIdempotent == readOnly, "\(method.fullName)")
            }
            descriptor += 1
        }
        #expect(seen == fixtures.count)
    }
}
