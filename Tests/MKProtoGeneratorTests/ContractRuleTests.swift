internal import CProtobufC
import Testing

@testable import MKProtoGenerator

/// The rules the generator enforces on the contracts, and its naming rules.
@Suite struct ContractRuleTests {
    @Test func theContractsLoadAndNoMessageIsRecursive() throws {
        let model = try ContractModel.load()
        #expect(model.files.map(\.path) == model.files.map(\.path).sorted())
        #expect(!model.messagesByName.isEmpty)
        try model.checkAcyclic()
    }

    @Test func aRecursiveMessageGraphIsRefused() throws {
        let a = MessageModel(
            fullName: "t.A", swiftName: "T_A", cType: "T__A", cSymbol: "t__a",
            fields: [FieldModel(name: "b", number: 1, kind: .message(fullName: "t.B"), isRepeated: false)])
        let b = MessageModel(
            fullName: "t.B", swiftName: "T_B", cType: "T__B", cSymbol: "t__b",
            fields: [FieldModel(name: "a", number: 1, kind: .message(fullName: "t.A"), isRepeated: true)])
        let model = ContractModel(
            files: [], swiftNames: [:], messagesByName: ["t.A": a, "t.B": b], enumsByName: [:])
        #expect {
            try model.checkAcyclic()
        } throws: { error in
            "\(error)".contains("recursive message: t.A -> t.B -> t.A")
        }
    }

    @Test func aOneofFieldIsRefused() {
        withUnsafeTemporaryAllocation(of: ProtobufCFieldDescriptor.self, capacity: 1) { fields in
            var field = ProtobufCFieldDescriptor()
            "choice".withCString { name in
                field.name = name
                field.id = 1
                field.label = PROTOBUF_C_LABEL_NONE
                field.type = PROTOBUF_C_TYPE_STRING
                field.flags = UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue)
                fields.baseAddress!.initialize(to: field)
                var message = ProtobufCMessageDescriptor()
                "t.WithOneof".withCString { fullName in
                    "t".withCString { package in
                        "T__WithOneof".withCString { cName in
                            message.name = fullName
                            message.package_name = package
                            message.c_name = cName
                            message.n_fields = 1
                            message.fields = UnsafePointer(fields.baseAddress!)
                            #expect {
                                try ContractModel.loadMessage(message, symbol: "t__with_oneof", file: "t.proto")
                            } throws: { error in
                                "\(error)".contains("use wrapper messages, not oneofs")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func namesFollowSwiftProtobuf() {
        let device = Naming.swiftTypeName(fullName: "mk.registry.v1.Device", package: "mk.registry.v1")
        #expect(device == "Mk_Registry_V1_Device")
        #expect(Naming.swiftTypeName(fullName: "mk.x.v1.Outer.Inner", package: "mk.x.v1") == "Mk_X_V1_Outer_Inner")
        #expect(Naming.swiftTypeName(fullName: "foo_bar.v1.M", package: "foo_bar.v1") == "FooBar_V1_M")
        #expect(Naming.lowerCamel(snake: "call_id") == "callId")
        #expect(Naming.lowerCamel(snake: "last_used_at_unix_micros") == "lastUsedAtUnixMicros")
        #expect(Naming.lowerCamel(snake: "public_key") == "publicKey")
        #expect(Naming.lowerCamel(upperCamel: "ListDevices") == "listDevices")
        #expect(Naming.lowerCamel(upperCamel: "GetHpkePublicKey") == "getHpkePublicKey")
        #expect(Naming.lowerCamel(upperCamel: "HTTPGet") == "httpGet")
        #expect(Naming.enumCaseName("FRAME_KIND_REQUEST", prefix: "FRAME_KIND_") == "request")
        #expect(Naming.enumCaseName("SERVING_STATUS_NOT_SERVING", prefix: "SERVING_STATUS_") == "notServing")
        #expect(Naming.enumCaseName("KIND_DEFAULT", prefix: "KIND_") == "`default`")
        #expect(Naming.enumCaseName("KIND_2D", prefix: "KIND_") == "kind2d")
        #expect(Naming.upperSnake(upperCamel: "FrameKind") == "FRAME_KIND")
        #expect(Naming.escaped("default") == "`default`")
        #expect(Naming.escaped("type") == "type")
    }

    @Test func onlyGetListAndCheckMethodsAreIdempotent() {
        for name in ["GetDevice", "ListDevices", "Check", "CheckLastMeans"] {
            #expect(Naming.isIdempotent(methodName: name), "\(name)")
        }
        for name in ["StartPairing", "RenameDevice", "Getaway", "Listen", "Checkout", "DeliverEvents"] {
            #expect(!Naming.isIdempotent(methodName: name), "\(name)")
        }
    }
}
