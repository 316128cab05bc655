/// BMP, with the fields ImageMagick 6.9 gives libvips 8.14's `magickload` (`BMPHeader`). sharp 0.26
/// opens no BMP (libvips-pipeline.md §15.1), so ImageKit has no pHash for it, and neither has ikmeta.
final class BMPFormat: FormatReader {
    static let format = ImageFormat.bmp

    static func detect(_ head: [UInt8]) -> Bool { head.hasPrefix(Array("BM".utf8)) }

    let header: ImageHeader

    /// The file's deadline, started as its container is read.
    let deadline: PHashReader.Deadline

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        deadline = PHashReader.Deadline(limits)
        let bmp = try BMPHeader.read(source)
        header = ImageHeader(
            width: bmp.width, height: bmp.height, bands: bmp.hasAlpha ? 4 : 3, hasAlpha: bmp.hasAlpha,
            hasColorProfile: bmp.hasICC, pixelsPerMM: bmp.pixelsPerMM)
    }

    func checkLoad() throws(PixelError) { throw PixelError.noSharpLoader(Self.format) }

    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        throw PixelError.noSharpLoader(Self.format)
    }
}

extension PixelError {
    /// A format sharp 0.26's libvips cannot open: ImageKit computes no pHash for it (§15.1).
    static func noSharpLoader(_ format: ImageFormat) -> PixelError {
        PixelError("sharp 0.26 has no \(format.name) loader, so ImageKit computes no pHash for it")
    }
}
