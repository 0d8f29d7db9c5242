internal import AsyncHTTPClient
public import Foundation
internal import MKServiceRuntime
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import NIOSSL

/// Wake-ups over HTTP/2 (TLS with ALPN `h2`) through AsyncHTTPClient, in the format of the key's
/// push service — a silent "you have mail" that makes the app read its inbox through the gateway:
///
/// - APNs-style (iOS keys, and every key while FCM is not configured): `POST <PUSH_URL><push
///   token>` with `authorization: bearer …`, `apns-push-type: background`, `apns-priority: 5`,
///   `apns-id: <wake-up id>` and the body `{"aps":{"content-available":1}}`.
/// - FCM HTTP v1 (Android keys, with `PUSH_FCM_URL`): `POST <PUSH_FCM_URL>` with
///   `authorization: Bearer <access token>` and a data-only message of normal priority,
///   `{"message":{"android":{"priority":"NORMAL"},"data":{"wakeup_id":"<id>"},"token":"<push token>"}}`.
///
/// 2xx is sent; 5xx, 408, 429, timeouts and connection failures are retried; 410, and 400 or 404
/// whose reason names a bad or unregistered token (`BadDeviceToken`, `Unregistered`,
/// `DeviceTokenNotForTopic`, `UNREGISTERED`), mean the token is dead; any other 4xx fails the
/// wake-up. Owns its HTTP client: call ``shutdown()`` once no wake-up is in flight.
public final class HTTP2PushProvider: PushProvider {
    /// The silent body: nothing about the message, the citizen or the key.
    static let body = Array(#"{"aps":{"content-available":1}}"#.utf8)
    /// Provider reasons (APNs and FCM spellings) that mean the token will never work again.
    static let deadTokenReasons: Set<String> = ["BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic", "UNREGISTERED"]

    private let configuration: PushConfiguration
    private let client: HTTPClient

    /// Creates a provider with its own HTTP client (HTTP/2 negotiated by ALPN, no redirects).
    public init(configuration: PushConfiguration) {
        self.configuration = configuration
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let roots = configuration.trustRoots { tls.trustRoots = .certificates(roots) }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .milliseconds(Self.milliseconds(configuration.timeout))))
        clientConfiguration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration)
    }

    /// Closes the client's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Posts one silent wake-up to `pushToken`, to FCM for an Android key when FCM is configured.
    public func wake(pushToken: String, platform: PushPlatform, wakeupID: UUID) async -> PushOutcome {
        let request: HTTPClientRequest
        if platform == .android, let fcm = configuration.fcm {
            guard let fcmRequest = Self.fcmRequest(to: fcm, pushToken: pushToken, wakeupID: wakeupID) else {
                return .failed(reason: "the FCM message could not be encoded")
            }
            request = fcmRequest
        } else {
            request = apnsRequest(pushToken: pushToken, wakeupID: wakeupID)
        }
        let status: UInt
        let answer: ByteBuffer
        do {
            let deadline = NIODeadline.now() + .milliseconds(Self.milliseconds(configuration.timeout))
            let response = try await client.execute(request, deadline: deadline)
            status = response.status.code
            answer = try await Self.collect(response.body, until: deadline)
        } catch {
            // The error's description may quote the URL, which holds the token: name its kind only.
            return .retry(reason: "push provider unreachable: \(Self.kind(of: error))")
        }
        let reason = Self.reason(in: answer)
        let explained = reason.map { " (\($0))" } ?? ""
        switch status {
        case 200...299:
            return .sent
        case 408, 429, 500...599:
            return .retry(reason: "push provider answered HTTP \(status)\(explained)")
        case 410:
            return .tokenInvalid(reason: "push provider answered HTTP 410: the token is no longer registered\(explained)")
        case 400...499:
            if status == 400 || status == 404, let reason, Self.deadTokenReasons.contains(reason) {
                return .tokenInvalid(reason: "push provider answered HTTP \(status): the token is invalid\(explained)")
            }
            return .failed(reason: "push provider refused the wake-up: HTTP \(status)\(explained)")
        default:
            return .retry(reason: "push provider answered HTTP \(status)")
        }
    }

    /// The answer's body, at most 4 KiB, read by `deadline` at the latest: AsyncHTTPClient's
    /// deadline ends with the answer's head, and a body that never finishes must not hold the
    /// worker.
    static func collect(_ body: HTTPClientResponse.Body, until deadline: NIODeadline) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: 4096) }
            group.addTask {
                let left = deadline - NIODeadline.now()
                try await Task.sleep(for: .nanoseconds(max(0, left.nanoseconds)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else {
                throw HTTPClientError.deadlineExceeded
            }
            return answer
        }
    }

    /// The APNs-style request.
    private func apnsRequest(pushToken: String, wakeupID: UUID) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.url + pushToken)
        request.method = .POST
        request.headers.add(name: "authorization", value: "bearer \(configuration.credential.current())")
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "apns-push-type", value: "background")
        request.headers.add(name: "apns-priority", value: "5")
        request.headers.add(name: "apns-id", value: wakeupID.lowercaseText)
        if let topic = configuration.topic { request.headers.add(name: "apns-topic", value: topic) }
        request.body = .bytes(ByteBuffer(bytes: Self.body))
        return request
    }

    /// FCM HTTP v1's request; `nil` only if the message cannot be encoded.
    static func fcmRequest(to fcm: PushConfiguration.FCM, pushToken: String, wakeupID: UUID) -> HTTPClientRequest? {
        let message = FCMMessage(
            message: .init(
                token: pushToken, android: .init(priority: "NORMAL"),
                data: ["wakeup_id": wakeupID.lowercaseText]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let body = try? encoder.encode(message) else { return nil }
        var request = HTTPClientRequest(url: fcm.url)
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(fcm.credential.current())")
        request.headers.add(name: "content-type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// The provider's `reason` (APNs) or `error.status` (FCM) when it is a plain word: the only
    /// part of an answer kept, so nothing the provider echoes (such as the token) is recorded.
    static func reason(in answer: ByteBuffer) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any]
        else { return nil }
        let candidate = (object["reason"] as? String) ?? ((object["error"] as? [String: Any])?["status"] as? String)
        guard let candidate, (1...64).contains(candidate.count),
            candidate.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") })
        else { return nil }
        return candidate
    }

    /// A short, token-free name for a failed request.
    static func kind(of error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error) { return "timeout" }
            return error == .remoteConnectionClosed ? "connection closed" : "request failed"
        }
        if error is NIOSSLError || error is BoringSSLError { return "TLS failed" }
        if error is NIOConnectionError || error is IOError { return "connection failed" }
        return "request failed"
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
