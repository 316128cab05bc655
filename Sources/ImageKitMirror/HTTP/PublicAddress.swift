/// The `scheme://host:port` clients reached this server at (their `Host` header): the base of every
/// `url` in a response, and the only origin whose URLs `GET /v1/metadata?url=` accepts.
struct PublicAddress: Sendable {
    var authority: String

    var base: String { "http://" + authority }

    func url(_ filePath: String) -> String { base + PercentEncoding.encodePath(filePath) }
    func thumbnailURL(_ filePath: String) -> String { base + "/" + Self.thumbnailSegment + PercentEncoding.encodePath(filePath) }

    /// ImageKit's media-library thumbnail transformation; here it serves the original bytes.
    static let thumbnailSegment = "tr:n-ik_ml_thumbnail"

    /// The stored file path a URL of this server names, or nil for any other origin.
    func localPath(of url: String) -> String? {
        guard url.lowercased().hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard rest[..<end].lowercased() == authority.lowercased(), end < rest.endIndex, rest[end] == "/" else { return nil }
        let path = rest[end...].prefix(while: { $0 != "?" && $0 != "#" })
        return PercentEncoding.decode(String(path)).map(Self.withoutThumbnail)
    }

    static func withoutThumbnail(_ path: String) -> String {
        let prefix = "/" + thumbnailSegment + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count - 1)) : path
    }
}

enum PercentEncoding {
    /// `%XX` decoded; nil for a malformed escape or bytes that are not UTF-8 or contain NUL.
    static func decode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        guard !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Stored names are ASCII letters, digits, `.-_` and `/`, so only an odd folder needs escapes.
    static func encodePath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
            }
        }
        return out
    }

}
