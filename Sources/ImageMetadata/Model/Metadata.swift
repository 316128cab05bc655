/// The object ImageKit's metadata API returns for an image (SPEC §1–§2), in its key order.
public struct Metadata: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var size: Int
    public var format: ImageFormat
    public var hasColorProfile: Bool
    public var quality: Int
    public var density: Int
    public var hasTransparency: Bool
    /// The `exif` object (SPEC §3); nil leaves the key out.
    public var exif: JSONObject?
    /// 16 lowercase hex digits (SPEC §4); nil leaves the key out.
    public var pHash: String?

    /// The object with ImageKit's key order: height, width, size, format, hasColorProfile,
    /// quality, density, hasTransparency, exif, pHash (SPEC §1).
    public var json: JSONObject {
        var o = JSONObject()
        o["height"] = .number(Double(height))
        o["width"] = .number(Double(width))
        o["size"] = .number(Double(size))
        o["format"] = .string(format.rawValue)
        o["hasColorProfile"] = .bool(hasColorProfile)
        o["quality"] = .number(Double(quality))
        o["density"] = .number(Double(density))
        o["hasTransparency"] = .bool(hasTransparency)
        if let exif { o["exif"] = .object(exif) }
        if let pHash { o["pHash"] = .string(pHash) }
        return o
    }
}

/// A successful read: the object plus what was found damaged along the way.
public struct MetadataResult: Sendable {
    public var metadata: Metadata
    public var diagnostics: [Diagnostic]
}
