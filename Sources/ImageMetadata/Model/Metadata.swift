@_exported import PerceptualHash

/// The object ImageKit's metadata API returns for an image (SPEC §1–§2), as typed values.
/// ``json`` gives the same object with ImageKit's names and key order.
public struct Metadata: Equatable, Sendable {
    /// Stored height in pixels, not rotated by the EXIF orientation.
    public var height: Int
    /// Stored width in pixels, not rotated by the EXIF orientation.
    public var width: Int
    /// File size in bytes.
    public var size: Int
    /// The format found in the file's first bytes.
    public var format: ImageFormat
    /// Whether the file embeds a complete ICC colour profile.
    public var hasColorProfile: Bool
    /// Always 0, as ImageKit sends for nearly every JPEG.
    public var quality: Int
    /// Dots per inch, 72 when the file gives none.
    public var density: Int
    /// Whether the image has an alpha channel or a PNG `tRNS` chunk.
    public var hasTransparency: Bool
    /// The `exif` object in node-exif 0.6.0's shape (SPEC §3); nil leaves the key out.
    public var exif: JSONObject?
    /// The 64-bit perceptual hash (SPEC §4); nil when it was not asked for or could not be
    /// computed (the reason is in ``MetadataResult/diagnostics``).
    public var pHash: PHash?

    /// Creates a metadata object from its fields.
    public init(height: Int, width: Int, size: Int, format: ImageFormat, hasColorProfile: Bool, quality: Int = 0,
                density: Int = 72, hasTransparency: Bool, exif: JSONObject? = JSONObject(), pHash: PHash? = nil) {
        self.height = height
        self.width = width
        self.size = size
        self.format = format
        self.hasColorProfile = hasColorProfile
        self.quality = quality
        self.density = density
        self.hasTransparency = hasTransparency
        self.exif = exif
        self.pHash = pHash
    }

    /// The object with ImageKit's key order: height, width, size, format, hasColorProfile,
    /// quality, density, hasTransparency, exif, pHash (SPEC §1). `JSONWriter.compact` writes it
    /// byte for byte as ImageKit sends it.
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
        if let pHash { o["pHash"] = .string(pHash.description) }
        return o
    }
}

/// A successful read: the object, the EXIF entries as typed values, and what was found damaged
/// along the way.
public struct MetadataResult: Sendable {
    /// The metadata object.
    public var metadata: Metadata
    /// Damage inside the file that did not stop the read; the fields that could be read are in ``metadata``.
    public var diagnostics: [Diagnostic]
    /// The EXIF entries behind ``Metadata/exif`` as typed values (tag, type, IFD, decoded
    /// components), each IFD in file order, including entries the `exif` object leaves out.
    public var exifEntries: [ExifEntry]

    /// Creates a result.
    public init(metadata: Metadata, diagnostics: [Diagnostic] = [], exifEntries: [ExifEntry] = []) {
        self.metadata = metadata
        self.diagnostics = diagnostics
        self.exifEntries = exifEntries
    }
}
