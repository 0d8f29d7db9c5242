/// Where a generated file goes.
public enum GeneratedDestination: String, Sendable, CaseIterable {
    /// `Shared/MKMessages/Generated`: message and enum bindings.
    case messages = "Shared/MKMessages/Generated"
    /// `Shared/MKContracts/Generated`: service descriptors, protocols and clients.
    case contracts = "Shared/MKContracts/Generated"
    /// `Tests/MKMessagesTests/Generated`: contract-test fixtures.
    case fixtures = "Tests/MKMessagesTests/Generated"
}

/// One generated file.
public struct GeneratedFile: Sendable, Equatable {
    /// The folder it belongs in.
    public var destination: GeneratedDestination
    /// Its name inside that folder.
    public var name: String
    /// Its content.
    public var contents: String
}

/// Renders the Swift bindings of the contracts by walking protoc-c's descriptors linked into
/// CMKProto (never by reading .proto text). Output is deterministic: files, messages, enums and
/// services sorted by name; fields by number.
public enum ProtoGenerator {
    /// Every generated Swift file. Throws when the contracts use something the bindings refuse
    /// (oneofs, proto2 labels, enum aliases, recursive messages).
    public static func render() throws(GeneratorError) -> [GeneratedFile] {
        let model = try ContractModel.load()
        var files: [GeneratedFile] = []
        for file in model.files {
            files.append(GeneratedFile(
                destination: .messages, name: "\(file.identifier).pb.swift",
                contents: MessageEmitter(model: model, file: file).render()))
            if !file.services.isEmpty {
                files.append(GeneratedFile(
                    destination: .contracts, name: "\(file.identifier).services.swift",
                    contents: ServiceEmitter(model: model, file: file).render()))
            }
            files.append(GeneratedFile(
                destination: .fixtures, name: "\(file.identifier).fixtures.swift",
                contents: FixtureEmitter(model: model, file: file).render()))
        }
        files.append(GeneratedFile(
            destination: .fixtures, name: "ContractFixtures+All.swift",
            contents: FixtureEmitter.renderIndex(model)))
        return files
    }
}
