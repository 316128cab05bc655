/// Reads ImageKit's metadata object from image files.
///
///     let result = try MetadataReader.read(path: "photo.jpg")
///     print(JSONWriter.compact(.object(result.metadata.json)))
public enum MetadataReader {
    /// Reads the file at `path`. Throws only when nothing can be read (SPEC §5).
    public static func read(path: String, options: ReadOptions = ReadOptions()) throws(MetadataError) -> MetadataResult {
        let source = try FileByteSource(path: path)
        return try read(source, options: options)
    }

    /// Reads an image held in memory.
    public static func read(bytes: [UInt8], options: ReadOptions = ReadOptions()) throws(MetadataError) -> MetadataResult {
        try read(MemoryByteSource(bytes), options: options)
    }

    /// Reads any byte source.
    package static func read(_ source: ByteSource, options: ReadOptions = ReadOptions()) throws(MetadataError) -> MetadataResult {
        guard source.count > 0 else { throw MetadataError.empty }
        guard source.count <= options.limits.fileSize else {
            throw MetadataError.overLimit(what: "file size in bytes", value: source.count, limit: options.limits.fileSize)
        }
        let head = source.bytes(at: 0, length: 512)
        guard let format = FormatRegistry.reader(for: head) else {
            throw ImageFormat.detect(head).map(MetadataError.unsupportedFormat) ?? MetadataError.notAnImage
        }
        let reader = try format.init(source, limits: options.limits)
        let header = reader.header
        let exif = reader.exif()
        let pHash = try PHashReader.field(reader, options: options)
        let metadata = Metadata(
            height: header.height, width: header.width, size: source.count, format: format.format,
            hasColorProfile: header.hasColorProfile, quality: 0, density: Density.dpi(pixelsPerMM: header.pixelsPerMM),
            hasTransparency: header.hasAlpha, exif: exif.object, pHash: pHash.value)
        return MetadataResult(metadata: metadata, diagnostics: header.diagnostics + exif.diagnostics + pHash.diagnostics,
                              exifEntries: exif.entries)
    }
}
