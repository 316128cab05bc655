/// PNG as sharp 0.26 / libvips 8.10 read it (libspng 0.6 behind libvips' loader, libvips-pipeline.md
/// §15.3). PNG never carries an orientation for libvips 8.10 (§16), and its EXIF is not read (SPEC §3).
final class PNGFormat: FormatReader {
    static let format = ImageFormat.png

    static func detect(_ head: [UInt8]) -> Bool { head.hasPrefix(PNGChunkReader.signature) }

    private let source: ByteSource
    private lazy var input = DecoderInput(source)
    /// The chunks before the image data, read once.
    let chunks: PNGHeader
    let header: ImageHeader
    let deadline: PHashReader.Deadline

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        self.source = source
        deadline = PHashReader.Deadline(limits)
        chunks = try PNGChunkReader.read(source, limits: limits, deadline: deadline)
        header = ImageHeader(
            width: chunks.width, height: chunks.height, bands: Self.bands(chunks), hasAlpha: chunks.hasAlpha,
            hasColorProfile: chunks.hasICCP, pixelsPerMM: Self.density(chunks.physical),
            diagnostics: chunks.diagnostics)
    }

    func checkLoad() throws(PixelError) { try PNGLoadChecks.check(source, deadline) }

    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        let decoder = try PNGRowDecoder(input, inMemoryBytes: request.inMemoryBytes, deadline: request.deadline)
        return DecodedImage(decoder: decoder, profile: decoder.iccProfile, demand: .thinStrip)
    }

    /// Grey 1, grey+alpha 2, RGB and palette 3, RGBA 4; tRNS adds an alpha band.
    private static func bands(_ chunks: PNGHeader) -> Int {
        let colour = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4][chunks.colorType] ?? 3
        return colour + (chunks.hasTRNS && [0, 2, 3].contains(chunks.colorType) ? 1 : 0)
    }

    /// `pHYs` unit 1 is pixels per metre; unit 0 is taken as pixels per millimetre (a libvips quirk).
    private static func density(_ physical: (x: Int, y: Int, unit: Int)?) -> Double {
        guard let physical else { return Density.defaultPixelsPerMM }
        return physical.unit == 1 ? Double(physical.x) / 1000.0 : Double(physical.x)
    }
}
