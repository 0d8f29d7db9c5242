internal import CQREncode

/// QR codes as inline SVG, through libqrencode.
enum QRCodeSVG {
    /// `text` as an SVG QR code (error correction M), or `nil` when it cannot be encoded.
    static func render(_ text: String, title: String) -> HTML? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        var path = ""
        for row in 0..<width {
            for column in 0..<width where data[row * width + column] & 1 == 1 {
                path += "M\(column + 4) \(row + 4)h1v1h-1z"
            }
        }
        let size = width + 8
        return HTML(
            generatedMarkup: """
                <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="\(HTML.escape(title))" \
                viewBox="0 0 \(size) \(size)" width="240" height="240" shape-rendering="crispEdges">\
                <rect width="\(size)" height="\(size)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
                """)
    }
}
