internal import CMKProto
internal import CProtobufC

/// One `.proto` file as protoc-c's descriptors describe it.
struct FileModel: Sendable {
    /// The path under `proto/`, `mk/rpc/v1/rpc.proto`.
    var path: String
    var messages: [MessageModel]
    var enums: [EnumModel]
    var services: [ServiceModel]

    /// A file-name-safe identifier of the path, `mk_rpc_v1_rpc`.
    var identifier: String {
        String(path.dropLast(".proto".count).map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// A message and the C names protoc-c gave it.
struct MessageModel: Sendable {
    var fullName: String
    var swiftName: String
    /// The C struct, `Mk__Rpc__V1__Envelope`.
    var cType: String
    /// protoc-c's function prefix, `mk__rpc__v1__envelope`.
    var cSymbol: String
    var fields: [FieldModel]
}

/// A field of a message.
struct FieldModel: Sendable {
    enum Kind: Sendable, Equatable {
        case int32, sint32, sfixed32, int64, sint64, sfixed64, uint32, fixed32, uint64, fixed64
        case float, double, bool, string, bytes
        case enumeration(fullName: String)
        case message(fullName: String)
    }

    /// The proto (and C member) name, `call_id`.
    var name: String
    var number: UInt32
    var kind: Kind
    var isRepeated: Bool
    /// The Swift property name, `callId`.
    var swiftName: String { Naming.escaped(Naming.lowerCamel(snake: name)) }
    /// The C member as Swift spells it.
    var cMember: String { Naming.escaped(name) }
}

/// An enum and its values.
struct EnumModel: Sendable {
    struct Value: Sendable {
        var protoName: String
        var number: Int32
        var swiftName: String
    }

    var fullName: String
    var swiftName: String
    var cType: String
    var values: [Value]
}

/// A service and its methods.
struct ServiceModel: Sendable {
    struct Method: Sendable {
        var name: String
        var inputFullName: String
        var outputFullName: String
        var swiftName: String { Naming.escaped(Naming.lowerCamel(upperCamel: name)) }
        /// Read-only by convention: the name starts with `Get`, `List` or `Check`.
        var isIdempotent: Bool { Naming.isIdempotent(methodName: name) }
    }

    var fullName: String
    var swiftName: String
    var methods: [Method]
}

/// Why the contracts cannot be turned into bindings.
public struct GeneratorError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}

/// The contracts, read from protoc-c's descriptors linked into CMKProto.
struct ContractModel: Sendable {
    var files: [FileModel]
    /// Swift type names by proto full name, for messages and enums.
    var swiftNames: [String: String]
    var messagesByName: [String: MessageModel]
    var enumsByName: [String: EnumModel]

    /// Walks `mk_proto_files()`; refuses oneofs, proto2 labels, enum aliases and recursive messages.
    static func load() throws(GeneratorError) -> ContractModel {
        var files: [FileModel] = []
        var table = mk_proto_files()!
        while let path = table.pointee.proto_path {
            files.append(try loadFile(table.pointee, path: String(cString: path)))
            table += 1
        }
        files.sort { $0.path < $1.path }
        var swiftNames: [String: String] = [:]
        var messagesByName: [String: MessageModel] = [:]
        var enumsByName: [String: EnumModel] = [:]
        for file in files {
            for message in file.messages {
                messagesByName[message.fullName] = message
                swiftNames[message.fullName] = message.swiftName
            }
            for enumeration in file.enums {
                enumsByName[enumeration.fullName] = enumeration
                swiftNames[enumeration.fullName] = enumeration.swiftName
            }
        }
        let model = ContractModel(
            files: files, swiftNames: swiftNames, messagesByName: messagesByName, enumsByName: enumsByName)
        try model.checkAcyclic()
        return model
    }

    private static func loadFile(_ file: MKProtoFileDescriptor, path: String) throws(GeneratorError) -> FileModel {
        var messages: [MessageModel] = []
        var index = 0
        while let descriptor = file.messages[index] {
            let symbol = String(cString: file.message_symbols[index]!)
            messages.append(try loadMessage(descriptor.pointee, symbol: symbol, file: path))
            index += 1
        }
        var enums: [EnumModel] = []
        index = 0
        while let descriptor = file.enums[index] {
            enums.append(try loadEnum(descriptor.pointee, file: path))
            index += 1
        }
        var services: [ServiceModel] = []
        index = 0
        while let descriptor = file.services[index] {
            services.append(loadService(descriptor.pointee))
            index += 1
        }
        return FileModel(
            path: path,
            messages: messages.sorted { $0.fullName < $1.fullName },
            enums: enums.sorted { $0.fullName < $1.fullName },
            services: services.sorted { $0.fullName < $1.fullName })
    }

    static func loadMessage(
        _ d: ProtobufCMessageDescriptor, symbol: String, file: String
    ) throws(GeneratorError) -> MessageModel {
        let fullName = String(cString: d.name)
        let package = String(cString: d.package_name)
        var fields: [FieldModel] = []
        for i in 0..<Int(d.n_fields) {
            let f = d.fields[i]
            let name = String(cString: f.name)
            let at = "\(file): \(fullName).\(name)"
            if f.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0 {
                throw GeneratorError("\(at) is in a oneof: use wrapper messages, not oneofs")
            }
            let isRepeated: Bool
            switch f.label {
            case PROTOBUF_C_LABEL_NONE: isRepeated = false
            case PROTOBUF_C_LABEL_REPEATED: isRepeated = true
            default:
                throw GeneratorError("\(at) has a proto2 or proto3 `optional` label: use proto3 without `optional`")
            }
            fields.append(FieldModel(name: name, number: f.id, kind: try kind(of: f, at: at), isRepeated: isRepeated))
        }
        fields.sort { $0.number < $1.number }
        return MessageModel(
            fullName: fullName,
            swiftName: Naming.swiftTypeName(fullName: fullName, package: package),
            cType: String(cString: d.c_name),
            cSymbol: symbol,
            fields: fields)
    }

    private static func kind(of f: ProtobufCFieldDescriptor, at: String) throws(GeneratorError) -> FieldModel.Kind {
        switch f.type {
        case PROTOBUF_C_TYPE_INT32: return .int32
        case PROTOBUF_C_TYPE_SINT32: return .sint32
        case PROTOBUF_C_TYPE_SFIXED32: return .sfixed32
        case PROTOBUF_C_TYPE_INT64: return .int64
        case PROTOBUF_C_TYPE_SINT64: return .sint64
        case PROTOBUF_C_TYPE_SFIXED64: return .sfixed64
        case PROTOBUF_C_TYPE_UINT32: return .uint32
        case PROTOBUF_C_TYPE_FIXED32: return .fixed32
        case PROTOBUF_C_TYPE_UINT64: return .uint64
        case PROTOBUF_C_TYPE_FIXED64: return .fixed64
        case PROTOBUF_C_TYPE_FLOAT: return .float
        case PROTOBUF_C_TYPE_DOUBLE: return .double
        case PROTOBUF_C_TYPE_BOOL: return .bool
        case PROTOBUF_C_TYPE_STRING: return .string
        case PROTOBUF_C_TYPE_BYTES: return .bytes
        case PROTOBUF_C_TYPE_ENUM:
            let e = f.descriptor.assumingMemoryBound(to: ProtobufCEnumDescriptor.self)
            return .enumeration(fullName: String(cString: e.pointee.name))
        case PROTOBUF_C_TYPE_MESSAGE:
            let m = f.descriptor.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
            return .message(fullName: String(cString: m.pointee.name))
        default:
            throw GeneratorError("\(at) has a field type mk-protogen does not know (\(f.type.rawValue))")
        }
    }

    private static func loadEnum(_ d: ProtobufCEnumDescriptor, file: String) throws(GeneratorError) -> EnumModel {
        let fullName = String(cString: d.name)
        let shortName = String(cString: d.short_name)
        let prefix = Naming.upperSnake(upperCamel: shortName) + "_"
        var values: [EnumModel.Value] = []
        var seenNumbers: Set<Int32> = []
        var seenNames: Set<String> = []
        for i in 0..<Int(d.n_values) {
            let v = d.values[i]
            let protoName = String(cString: v.name)
            let number = Int32(v.value)
            guard seenNumbers.insert(number).inserted else {
                throw GeneratorError(
                    "\(file): \(fullName).\(protoName) aliases another value: enum aliases are not supported")
            }
            let swiftName = Naming.enumCaseName(protoName, prefix: prefix)
            guard seenNames.insert(swiftName).inserted else {
                throw GeneratorError("\(file): \(fullName).\(protoName) maps to the Swift case `\(swiftName)` twice")
            }
            values.append(EnumModel.Value(protoName: protoName, number: number, swiftName: swiftName))
        }
        guard values.contains(where: { $0.number == 0 }) else {
            throw GeneratorError("\(file): \(fullName) has no value 0")
        }
        values.sort { $0.number < $1.number }
        return EnumModel(
            fullName: fullName,
            swiftName: Naming.swiftTypeName(fullName: fullName, package: String(cString: d.package_name)),
            cType: String(cString: d.c_name),
            values: values)
    }

    private static func loadService(_ d: ProtobufCServiceDescriptor) -> ServiceModel {
        let fullName = String(cString: d.name)
        var methods: [ServiceModel.Method] = []
        for i in 0..<Int(d.n_methods) {
            let m = d.methods[i]
            methods.append(ServiceModel.Method(
                name: String(cString: m.name),
                inputFullName: String(cString: m.input.pointee.name),
                outputFullName: String(cString: m.output.pointee.name)))
        }
        return ServiceModel(
            fullName: fullName,
            swiftName: Naming.swiftTypeName(fullName: fullName, package: String(cString: d.package)),
            methods: methods)
    }

    /// protobuf-c has no recursion limit, so a recursive contract would let a peer exhaust the
    /// stack; the contracts must stay a DAG.
    func checkAcyclic() throws(GeneratorError) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        func visit(_ name: String, path: [String]) throws(GeneratorError) {
            switch marks[name] {
            case .done?: return
            case .visiting?:
                let cycle = path.drop(while: { $0 != name }) + [name]
                throw GeneratorError(
                    "recursive message: \(cycle.joined(separator: " -> ")); contracts must not be recursive")
            case nil: break
            }
            marks[name] = .visiting
            for field in messagesByName[name]?.fields ?? [] {
                if case .message(let next) = field.kind { try visit(next, path: path + [name]) }
            }
            marks[name] = .done
        }
        for name in messagesByName.keys.sorted() { try visit(name, path: []) }
    }
}
