internal import CCurl
internal import Foundation
internal import NIOPosix

/// Runs libcurl transfers. libcurl's easy interface blocks, so each transfer runs on NIO's
/// blocking-work thread pool — never on the cooperative pool or an event loop.
enum Curl {
    /// `curl_global_init` must run once before any other libcurl call, and before threads use it.
    private static let initialized: Bool = mk_curl_global_init() == CURLE_OK

    /// Largest response body kept (for failure reasons).
    static let collectCapacity = 2048

    /// Performs `request` on the blocking pool.
    static func perform(_ request: CurlRequest) async throws -> CurlResult {
        try await NIOThreadPool.singleton.runIfActive { performBlocking(request) }
    }

    /// Performs `request` on the calling thread.
    static func performBlocking(_ request: CurlRequest) -> CurlResult {
        guard initialized, let handle = curl_easy_init() else {
            return CurlResult(code: Int(CURLE_FAILED_INIT.rawValue), codeText: "libcurl could not start", responseCode: 0, body: [])
        }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        var headers: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(recipients)
            curl_slist_free_all(headers)
        }
        for recipient in request.recipients {
            recipients = curl_slist_append(recipients, recipient)
        }
        for header in request.headers {
            headers = curl_slist_append(headers, header)
        }
        let collectBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: collectCapacity)
        defer { collectBuffer.deallocate() }
        var collect = mk_curl_collect(data: collectBuffer, capacity: collectCapacity, length: 0)
        let code: CURLcode = request.body.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                var upload = mk_curl_upload(data: chars.baseAddress, length: chars.count, offset: 0)
                return withUnsafeMutablePointer(to: &upload) { uploadPointer in
                    withUnsafeMutablePointer(to: &collect) { collectPointer in
                        let setup = configure(
                            handle, request, recipients: recipients, headers: headers, upload: uploadPointer,
                            collect: collectPointer)
                        guard setup == CURLE_OK else { return setup }
                        return curl_easy_perform(handle)
                    }
                }
            }
        }
        let body = UnsafeBufferPointer(start: collectBuffer, count: collect.length).map { UInt8(bitPattern: $0) }
        return CurlResult(
            code: Int(code.rawValue), codeText: String(cString: curl_easy_strerror(code)),
            responseCode: mk_curl_response_code(handle), body: body)
    }

    private static func configure(
        _ handle: UnsafeMutableRawPointer,
        _ request: CurlRequest,
        recipients: UnsafeMutablePointer<curl_slist>?,
        headers: UnsafeMutablePointer<curl_slist>?,
        upload: UnsafeMutablePointer<mk_curl_upload>,
        collect: UnsafeMutablePointer<mk_curl_collect>
    ) -> CURLcode {
        var options: [(CURLoption, Int)] = [
            (CURLOPT_NOSIGNAL, 1),
            (CURLOPT_TIMEOUT_MS, milliseconds(request.timeout)),
            (CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)),
            (CURLOPT_FOLLOWLOCATION, 0),
        ]
        if request.tls == .required {
            options.append((CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)))
        }
        for (option, value) in options {
            let code = mk_curl_setopt_long(handle, option, value)
            guard code == CURLE_OK else { return code }
        }
        // Only these protocols, so a typo in a URL cannot reach anything else.
        var strings: [(CURLoption, String)] = [
            (CURLOPT_URL, request.url), (CURLOPT_PROTOCOLS_STR, "smtp,smtps,http,https"),
        ]
        if let mailFrom = request.mailFrom { strings.append((CURLOPT_MAIL_FROM, "<\(mailFrom)>")) }
        if let username = request.username { strings.append((CURLOPT_USERNAME, username)) }
        if let password = request.password { strings.append((CURLOPT_PASSWORD, password)) }
        if let caFile = request.caFile { strings.append((CURLOPT_CAINFO, caFile)) }
        for (option, value) in strings {
            // libcurl copies string options, so the C string need not outlive this call.
            let code = mk_curl_setopt_string(handle, option, value)
            guard code == CURLE_OK else { return code }
        }
        if let recipients {
            let code = mk_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
            guard code == CURLE_OK else { return code }
        }
        if let headers {
            let code = mk_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
            guard code == CURLE_OK else { return code }
        }
        let code = mk_curl_set_upload(handle, upload, request.isHTTPPost ? 1 : 0)
        guard code == CURLE_OK else { return code }
        return mk_curl_set_collect(handle, collect)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
