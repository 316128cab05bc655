import ImageMetadata

/// A saved ImageKit response, as users keep them: the API's own body, an upload result with a
/// `metadata` key, or either one written by ImageKit's Python SDK (`to_dict()`, `to_json()`,
/// `model_dump()`). Holds the metadata object and how its keys were written.
struct SavedResponse {
    /// How the keys of the saved object are named and ordered.
    enum Shape: Equatable {
        /// ImageKit's JSON as the API sent it: names and order are ImageKit's (SPEC §1).
        case apiBody
        /// The SDK's `to_dict()` / `to_json()`: ImageKit's names, sorted alphabetically.
        case sdkAPINames
        /// The SDK's `model_dump()`: its Python property names (`has_color_profile`, `p_hash`), sorted.
        case sdkPropertyNames

        /// Whether the key order is ImageKit's, so that a different order is a real difference.
        var keepsImageKitOrder: Bool { self == .apiBody }

        var name: String {
            switch self {
            case .apiBody: return "the API's body"
            case .sdkAPINames: return "the Python SDK's to_dict()/to_json(), which sorts keys"
            case .sdkPropertyNames: return "the Python SDK's model_dump(), which sorts and renames keys"
            }
        }
    }

    var metadata: JSONObject
    var shape: Shape

    /// Reads the response at `path` (`-` for standard input).
    static func load(_ path: String) throws(CommandFailure) -> SavedResponse {
        try parse(try readWholeFile(path), from: path)
    }

    /// The response in `bytes`; `path` names where it came from in errors.
    static func parse(_ bytes: [UInt8], from path: String) throws(CommandFailure) -> SavedResponse {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw CommandFailure("\(path): \(error)", status: 2)
        }
        guard case .object(let object) = value else {
            throw CommandFailure("\(path): the response is not a JSON object.", status: 2)
        }
        if object["height"] == nil, object["width"] == nil, case .string(let message)? = object["message"] {
            throw CommandFailure("\(path): the response is an ImageKit error, not metadata: \(message)", status: 2)
        }
        let metadata: JSONObject
        switch object["metadata"] {
        case .object(let inner)?:
            metadata = inner
        case nil where object["fileId"] == nil && object["file_id"] == nil:
            metadata = object
        default:
            // An upload result without `metadata` (or with null), or a file-details result: its
            // size, height and width describe the stored file, not the metadata object (SPEC §1).
            throw CommandFailure("""
                \(path): the response is a file or upload result without a `metadata` object, so there is nothing to compare.
                Upload with responseFields=metadata (Python SDK: response_fields=["metadata"]), or fetch \
                GET /v1/files/{fileId}/metadata, and compare that response.
                """, status: 2)
        }
        return SavedResponse(metadata: metadata, shape: shape(of: metadata))
    }

    /// The SDK's model_dump() names properties in snake_case; to_dict() keeps ImageKit's names but
    /// sorts them. ImageKit's own order (height, width, size, format, …) is never sorted.
    static func shape(of object: JSONObject) -> Shape {
        if object.keys.contains(where: { $0.contains("_") }) { return .sdkPropertyNames }
        let folded = object.keys.map { $0.lowercased() }
        return object.count > 2 && folded == folded.sorted() ? .sdkAPINames : .apiBody
    }

    /// A key as both spellings agree on it: `hasColorProfile` and `has_color_profile`,
    /// `FocalLengthIn35mmFormat` and `focal_length_in35mm_format` give the same name.
    static func canonicalName(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "_" })
    }

    /// `response` with each key spelled as in `local` wherever both name the same field, nested
    /// objects included; the SDK's unset properties (null, unknown locally) are left out.
    /// model_dump() repeats some properties under their API names as well (`has_color_profile`
    /// then `hasColorProfile`, from the same body): the first spelling is the one compared.
    static func aligned(_ response: JSONObject, to local: JSONObject) -> JSONObject {
        var localNames: [String: String] = [:]
        for key in local.keys { localNames[canonicalName(key)] = key }
        var out = JSONObject()
        for (key, value) in response.pairs {
            guard let name = localNames[canonicalName(key)] else {
                if value != .null { out[key] = value }
                continue
            }
            if out[name] != nil { continue }
            if case .object(let inner) = value, case .object(let localInner)? = local[name] {
                out[name] = .object(aligned(inner, to: localInner))
            } else {
                out[name] = value
            }
        }
        return out
    }
}
