/// HEIC/AVIF, BMP and ICO: the fields as libvips 8.14 reads them (README, "Formats"). sharp 0.26
/// opens none of them, so ImageKit computes no pHash for them; HEIC/AVIF still get one from
/// libheif's primary image through the same pipeline, which is not checked against ImageKit.
extension ImageMetadata {
    static func readHEIF(_ source: ByteSource, _ format: ImageFormat, _ options: ReadOptions) throws(MetadataError) -> MetadataResult {
        let image: HEIFDecoder
        do {
            image = try HEIFDecoder(source, limits: options.limits)
        } catch {
            throw MetadataError.invalidHeader(format: format, detail: error.message)
        }
        let pHash = try PHashReader.heif(image, options: options)
        let metadata = Metadata(
            height: image.format.height, width: image.format.width, size: source.count, format: format,
            hasColorProfile: image.iccProfile != nil, quality: 0, density: Density.dpi(pixelsPerMM: 1),
            hasTransparency: image.hasAlpha, exif: JSONObject(), pHash: pHash.value)  // only JPEG EXIF counts (SPEC §3)
        return MetadataResult(metadata: metadata, diagnostics: pHash.diagnostics)
    }

    static func readBMP(_ source: ByteSource, _ options: ReadOptions) throws(MetadataError) -> MetadataResult {
        let header = try BMPHeader.read(source)
        let metadata = Metadata(
            height: header.height, width: header.width, size: source.count, format: .bmp,
            hasColorProfile: header.hasICC, quality: 0, density: Density.dpi(pixelsPerMM: header.pixelsPerMM),
            hasTransparency: header.hasAlpha, exif: JSONObject(), pHash: nil)
        return MetadataResult(metadata: metadata, diagnostics: [])
    }

    static func readICO(_ source: ByteSource, _ options: ReadOptions) throws(MetadataError) -> MetadataResult {
        let header = try ICOHeader.read(source, limits: options.limits)
        let metadata = Metadata(
            height: header.height, width: header.width, size: source.count, format: .ico,
            hasColorProfile: header.hasICC, quality: 0, density: Density.dpi(pixelsPerMM: header.pixelsPerMM),
            hasTransparency: header.hasAlpha, exif: JSONObject(), pHash: nil)
        return MetadataResult(metadata: metadata, diagnostics: [])
    }
}
