import Hummingbird
import ImageMetadata

/// JSON bodies written by ImageMetadata's writer (compact, as ImageKit's Node servers send them).
enum JSONResponse {
    static func make(status: HTTPResponse.Status = .ok, body: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func make(status: HTTPResponse.Status = .ok, _ value: JSONValue) -> Response {
        make(status: status, body: JSONWriter.compactBytes(value))
    }

    /// `object` with `"metadata":RAW` appended, `RAW` being the stored bytes exactly as `ikmeta FILE` wrote them.
    static func object(_ object: JSONObject, metadata raw: [UInt8]?) -> [UInt8] {
        var bytes = JSONWriter.compactBytes(.object(object))
        guard let raw else { return bytes }
        bytes.removeLast()  // the closing brace
        if !object.isEmpty { bytes.append(UInt8(ascii: ",")) }
        bytes += Array(#""metadata":"#.utf8) + raw + [UInt8(ascii: "}")]
        return bytes
    }
}
