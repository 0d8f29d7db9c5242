import ArgumentParser
import MKProtoGenerator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the Swift bindings of the contracts compiled into CMKProto. proto/generate.sh runs it
/// after protoc-c; run that script rather than this tool.
@main
struct MKProtogen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mk-protogen",
        abstract: "Generates the Swift bindings from protoc-c's descriptors (run proto/generate.sh instead).")

    @Option(help: "Folder for the message bindings (Shared/MKMessages/Generated).")
    var messagesOut: String

    @Option(help: "Folder for the service bindings (Shared/MKContracts/Generated).")
    var contractsOut: String

    @Option(help: "Folder for the contract-test fixtures (Tests/MKMessagesTests/Generated).")
    var fixturesOut: String

    func run() throws {
        let files: [GeneratedFile]
        do {
            files = try ProtoGenerator.render()
        } catch {
            throw ValidationError("mk-protogen: \(error)")
        }
        for file in files {
            let folder: String
            switch file.destination {
            case .messages: folder = messagesOut
            case .contracts: folder = contractsOut
            case .fixtures: folder = fixturesOut
            }
            try write(file.contents, to: folder + "/" + file.name)
        }
    }

    private func write(_ contents: String, to path: String) throws {
        guard let handle = fopen(path, "wb") else {
            throw ValidationError("mk-protogen: cannot write \(path)")
        }
        defer { fclose(handle) }
        let bytes = Array(contents.utf8)
        guard fwrite(bytes, 1, bytes.count, handle) == bytes.count else {
            throw ValidationError("mk-protogen: cannot write \(path)")
        }
    }
}
