import Foundation
import Testing

@testable import MKProtoGenerator

/// The committed generated code is exactly what the generator and protoc-c produce now.
@Suite struct RegenerationTests {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // file, MKProtoGeneratorTests, Tests
        return url
    }()

    @Test func committedSwiftBindingsMatchAFreshRendering() throws {
        let files = try ProtoGenerator.render()
        for destination in GeneratedDestination.allCases {
            let folder = Self.repositoryRoot.appendingPathComponent(destination.rawValue)
            let expected = files.filter { $0.destination == destination }
            let committed = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".swift") }
            #expect(Set(committed) == Set(expected.map(\.name)), "stale or missing files in \(destination.rawValue)")
            for file in expected {
                let onDisk = try Data(contentsOf: folder.appendingPathComponent(file.name))
                #expect(
                    onDisk == Data(file.contents.utf8),
                    "\(destination.rawValue)/\(file.name) differs from a fresh rendering: run proto/generate.sh")
            }
        }
    }

    @Test func renderingIsDeterministic() throws {
        #expect(try ProtoGenerator.render() == ProtoGenerator.render())
    }

    @Test func committedCCodeMatchesProtocC() throws {
        let protoRoot = Self.repositoryRoot.appendingPathComponent("proto").resolvingSymlinksInPath()
        let enumerator = FileManager.default.enumerator(atPath: protoRoot.path)
        var protos: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".proto") { protos.append(path) }
        }
        protos.sort()
        #expect(!protos.isEmpty)

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("mk-protoc-c-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["protoc-c", "--c_out=\(output.path)", "-I", protoRoot.path] + protos
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "protoc-c failed")

        let cmkproto = Self.repositoryRoot.appendingPathComponent("Shared/CMKProto")
        for proto in protos {
            let base = String(proto.dropLast(".proto".count))
            let pairs = [
                ("\(base).pb-c.h", "include/\(base).pb-c.h"),
                ("\(base).pb-c.c", "generated/\(base).pb-c.c"),
            ]
            for (fresh, committed) in pairs {
                let freshData = try Data(contentsOf: output.appendingPathComponent(fresh))
                let committedData = try Data(contentsOf: cmkproto.appendingPathComponent(committed))
                #expect(freshData == committedData, "Shared/CMKProto/\(committed) is stale: run proto/generate.sh")
            }
        }
    }
}
