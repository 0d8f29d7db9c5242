/// What a libcurl transfer ended with.
struct CurlResult: Sendable {
    /// libcurl's result code (`CURLE_OK` is 0).
    var code: Int
    /// libcurl's short explanation of `code`; contains no message content.
    var codeText: String
    /// The last HTTP status or SMTP reply code; 0 when the server never answered.
    var responseCode: Int
    /// The first bytes of the response body (HTTP only).
    var body: [UInt8]

    /// True when libcurl finished the transfer (whatever the server answered).
    var completed: Bool { code == 0 }
}
