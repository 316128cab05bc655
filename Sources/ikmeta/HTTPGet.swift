import CHTTPFetch

/// One authenticated GET for `verify`, through libcurl loaded only when called (CHTTPFetch), so
/// that no other command pays for networking at start-up (README "Local ImageKit for tests").
enum HTTPGet {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    /// The largest body read; a metadata object is a few KiB.
    static let maxBody = 64 << 20

    /// GET `address` with HTTP Basic `user:` (ImageKit's private key as user, no password).
    static func fetch(_ address: String, user: String, timeout: Double = 60) throws(CommandFailure) -> Response {
        var response = CHTTPFetch_Response()
        defer { CHTTPFetch_free(&response) }
        let milliseconds = Int(timeout * 1000)
        guard CHTTPFetch_get(address, user, milliseconds, maxBody, &response) == 0 else {
            let message = response.error.map { String(cString: $0) } ?? "the request failed"
            throw CommandFailure("\(address): \(message).", status: 2)
        }
        let body = response.body.map { [UInt8](UnsafeBufferPointer(start: $0, count: response.length)) } ?? []
        return Response(status: response.status, body: body)
    }

    /// Percent-encodes a path segment or query value: every UTF-8 byte except RFC 3986's
    /// unreserved ASCII letters, digits and `-._~`.
    static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
