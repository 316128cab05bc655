/// GIF as sharp 0.26 / libvips 8.10 read it, through giflib (libvips-pipeline.md §15.4): the header
/// pass decides the bands over all frames, the pixels are frame 1 only. No profile, no EXIF, no
/// orientation; libvips gives a GIF 1 pixel per millimetre, so `density` is 72.
final class GIFFormat: FormatReader {
    static let format = ImageFormat.gif

    /// libvips' test: the first four bytes are `GIF8` (giflib itself checks `GIF`).
    static func detect(_ head: [UInt8]) -> Bool { head.hasPrefix(Array("GIF8".utf8)) }

    private let input: DecoderInput
    /// The header pass, run once.
    let scan: GIFScan
    let header: ImageHeader

    /// The file's deadline, started as its container is read.
    let deadline: PHashReader.Deadline

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        deadline = PHashReader.Deadline(limits)
        input = DecoderInput(source)
        scan = try GIFScan(input, limits: limits)
        header = ImageHeader(
            width: scan.width, height: scan.height, bands: scan.bands, hasAlpha: scan.transparency,
            hasColorProfile: false, pixelsPerMM: 1.0)
    }

    /// giflib's errors come while decoding: any of them fails the load, whatever `fail` says.
    func checkLoad() throws(PixelError) {}

    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        DecodedImage(decoder: try GIFRowDecoder(input, screen: scan, request), profile: nil, demand: .fatStrip)
    }
}
