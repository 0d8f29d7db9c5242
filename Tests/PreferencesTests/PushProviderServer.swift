import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// A push provider for the tests: a real HTTP/2 server over TLS on loopback that speaks only `h2`
/// (ALPN), so a wake-up it answers went over HTTP/2. It answers each request with the next
/// scripted answer (then 200) and keeps every request.
final class PushProviderServer: Sendable {
    /// What the server does with one request.
    enum Answer: Sendable {
        /// Answers this status with this JSON body.
        case status(Int, body: String = "")
        /// Never answers (the client's timeout must end the request).
        case silence
        /// Answers the head of a 200 with a 10-byte body and never sends the body.
        case headOnly
    }

    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        var version: String
        var headers: [(name: String, value: String)]
        var body: String

        /// The first value of the header `name` (case-insensitive).
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    let port: Int
    private let channel: any Channel
    private let recorder: Recorder

    private init(port: Int, channel: any Channel, recorder: Recorder) {
        self.port = port
        self.channel = channel
        self.recorder = recorder
    }

    /// Starts a server presenting `certificate` and `key` (PEM files) on a free loopback port.
    static func start(certificate: URL, key: URL, answers: [Answer] = []) async throws -> PushProviderServer {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.path).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem)))
        tls.applicationProtocols = ["h2"]
        let context = try NIOSSLContext(configuration: tls)
        let recorder = Recorder(answers: answers)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                }.flatMap {
                    channel.configureHTTP2Pipeline(mode: .server) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandlers([
                                HTTP2FramePayloadToHTTP1ServerCodec(), StreamHandler(recorder: recorder),
                            ])
                        }
                    }.map { _ in }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return PushProviderServer(port: channel.localAddress?.port ?? 0, channel: channel, recorder: recorder)
    }

    /// Every request received so far, in order.
    var requests: [Request] { recorder.state.withLock { $0.requests } }

    /// Stops listening and closes the connections.
    func stop() async {
        try? await channel.close()
    }

    /// The state shared by every stream's handler.
    final class Recorder: Sendable {
        let state: Mutex<(answers: [Answer], requests: [Request])>

        init(answers: [Answer]) {
            state = Mutex((answers, []))
        }

        func record(_ request: Request) -> Answer {
            state.withLock { state in
                state.requests.append(request)
                return state.answers.isEmpty ? .status(200) : state.answers.removeFirst()
            }
        }
    }

    /// One HTTP/2 stream, seen as HTTP/1 parts: collects the request and answers it.
    final class StreamHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let recorder: Recorder
        private var head: HTTPRequestHead?
        private var body = ByteBuffer()

        init(recorder: Recorder) {
            self.recorder = recorder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
            case .body(var bytes):
                body.writeBuffer(&bytes)
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue, path: head.uri, version: "\(head.version)",
                    headers: head.headers.map { ($0.name, $0.value) }, body: String(buffer: body))
                let answer = recorder.record(request)
                if case .headOnly = answer {
                    var headers = HTTPHeaders()
                    headers.add(name: "content-length", value: "10")
                    context.writeAndFlush(
                        wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                        promise: nil)
                    return
                }
                guard case .status(let status, let text) = answer else { return }
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: "application/json")
                headers.add(name: "content-length", value: "\(text.utf8.count)")
                context.write(
                    wrapOutboundOut(
                        .head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers))),
                    promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

@available(*, unavailable)
extension PushProviderServer.StreamHandler: Sendable {}
