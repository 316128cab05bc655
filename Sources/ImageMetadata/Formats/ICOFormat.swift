/// ICO, with the fields ImageMagick 6.9 gives libvips 8.14's `magickload` for the first icon
/// (`ICOHeader`). sharp 0.26 opens no ICO (libvips-pipeline.md §15.1): no pHash, as at ImageKit.
final class ICOFormat: FormatReader {
    static let format = ImageFormat.ico

    static func detect(_ head: [UInt8]) -> Bool { head.hasPrefix([0x00, 0x00, 0x01, 0x00]) }

    let header: ImageHeader

    /// The file's deadline, started as its container is read.
    let deadline: PHashReader.Deadline

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        deadline = PHashReader.Deadline(limits)
        let ico = try ICOHeader.read(source, limits: limits)
        header = ImageHeader(
            width: ico.width, height: ico.height, bands: ico.hasAlpha ? 4 : 3, hasAlpha: ico.hasAlpha,
            hasColorProfile: ico.hasICC, pixelsPerMM: ico.pixelsPerMM)
    }

    func checkLoad() throws(PixelError) { throw PixelError.noSharpLoader(Self.format) }

    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        throw PixelError.noSharpLoader(Self.format)
    }
}
