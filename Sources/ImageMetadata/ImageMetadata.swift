/// Reads ImageKit's metadata object from image files.
///
///     let result = try ImageMetadata.read(path: "photo.jpg")
///     print(JSONWriter.compact(.object(result.metadata.json)))
public enum ImageMetadata {
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
        guard let format = ImageFormat.detect(head) else { throw MetadataError.notAnImage }
        switch format {
        case .jpg: return try readJPEG(source, options)
        case .png: return try readPNG(source, options)
        default: throw MetadataError.unsupportedFormat(format)
        }
    }

    private static func readJPEG(_ source: ByteSource, _ options: ReadOptions) throws(MetadataError) -> MetadataResult {
        let header = try JPEGSegmentReader.read(source, limits: options.limits)
        let exif = ExifReader.read(source, limits: options.limits)
        let pHash = try PHashReader.jpeg(source, header, options: options)
        let metadata = Metadata(
            height: header.height, width: header.width, size: source.count, format: .jpg,
            hasColorProfile: header.iccProfile != nil, quality: 0,
            density: Density.dpi(pixelsPerMM: Density.jpeg(header)),
            hasTransparency: false, exif: exif.object, pHash: pHash.value)
        return MetadataResult(metadata: metadata, diagnostics: header.diagnostics + exif.diagnostics + pHash.diagnostics,
                              exifEntries: exif.entries)
    }

    private static func readPNG(_ source: ByteSource, _ options: ReadOptions) throws(MetadataError) -> MetadataResult {
        let header = try PNGChunkReader.read(source, limits: options.limits)
        let pHash = try PHashReader.png(source, header, options: options)
        let metadata = Metadata(
            height: header.height, width: header.width, size: source.count, format: .png,
            hasColorProfile: header.hasICCP, quality: 0,
            density: Density.dpi(pixelsPerMM: Density.png(header)),
            hasTransparency: header.hasAlpha, exif: JSONObject(), pHash: pHash.value)  // only JPEG EXIF counts (SPEC §3)
        return MetadataResult(metadata: metadata, diagnostics: header.diagnostics + pHash.diagnostics)
    }
}
