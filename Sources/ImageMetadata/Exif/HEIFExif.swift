/// The EXIF of a HEIC or AVIF file, for inspecting it. It never reaches the `exif` field: node-exif,
/// and so ImageKit, reads EXIF from JPEG files only (SPEC §3).
enum HEIFExif {
    /// The TIFF bytes of the primary image's `Exif` item: what follows libheif's 4-byte big-endian
    /// offset header and the `offset` bytes it skips (usually "Exif\0\0"). Nil when the file has no
    /// Exif item or the offset points past its end; an unreadable file is an error.
    static func tiffPayload(_ source: ByteSource, limits: Limits = Limits()) throws(MetadataError) -> [UInt8]? {
        let head = source.bytes(at: 0, length: 512)
        guard let format = FormatRegistry.reader(for: head) as? HEIFFormat.Type else { throw MetadataError.notAnImage }
        let reader = try format.init(source, limits: limits)
        do {
            return try reader.image.exifBlock(limit: limits.chunkSize).flatMap(tiff(fromBlock:))
        } catch {
            throw MetadataError.invalidHeader(format: format.format, detail: error.message)
        }
    }

    /// The TIFF bytes of an Exif item's payload, nil when its offset runs past the end.
    static func tiff(fromBlock block: [UInt8]) -> [UInt8]? {
        guard let skip = block.u32be(0), skip <= block.count - 4 else { return nil }
        return Array(block[(4 + skip)...])
    }
}
