/// JPEG as sharp 0.26 / libvips 8.10 read it (libvips-pipeline.md §1, §15.2, §16).
final class JPEGFormat: FormatReader {
    static let format = ImageFormat.jpg

    static func detect(_ head: [UInt8]) -> Bool { head.hasPrefix([0xFF, 0xD8, 0xFF]) }

    private let source: ByteSource
    private let limits: Limits
    private lazy var input = DecoderInput(source)
    /// The marker segments up to the first scan, read once.
    let segments: JPEGHeader
    let header: ImageHeader
    let deadline: PHashReader.Deadline
    /// libexif's load of the first Exif APP1 (orientation) and of the last (density, as libvips
    /// keeps the last one it sees): one load when they are the same block.
    private let firstExif: LibExifData?
    private let lastExif: LibExifData?

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        self.source = source
        self.limits = limits
        deadline = PHashReader.Deadline(limits)
        segments = try JPEGSegmentReader.read(source, limits: limits, deadline: deadline)
        firstExif = segments.exifBlocks.first.flatMap(Self.loadExif)
        lastExif = segments.exifBlocks.count > 1 ? Self.loadExif(segments.exifBlocks.last!) : firstExif
        header = ImageHeader(
            width: segments.width, height: segments.height, bands: segments.components, hasAlpha: false,
            hasColorProfile: segments.iccProfile != nil, pixelsPerMM: Self.density(segments.jfif, lastExif),
            diagnostics: segments.diagnostics)
    }

    /// node-exif 0.6.0 on the whole file (SPEC §3), its marker walk begun by the segment reader.
    func exif() -> ExifField {
        let parse = ExifReader.read(source, limits: limits, libexif: true, walk: segments.nodeExifWalk)
        return ExifField(object: parse.object, diagnostics: parse.diagnostics, entries: parse.entries)
    }

    /// sharp refuses a JPEG only while decoding it (libjpeg warnings, `fail = TRUE`).
    func checkLoad() throws(PixelError) {}

    var orientation: Int { ExifOrientation.value(in: firstExif) }

    /// Shrink-on-load by libjpeg's DCT scaling: sharp's factor, or more in fast mode (SPEC §4).
    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        var scale = sharpShrinkOnLoad(width: header.width, height: header.height)
        if request.mode == .fast { scale = max(scale, Self.fastScale(width: header.width, height: header.height)) }
        let decoder = try JPEGRowDecoder(input, scale: scale, inMemoryBytes: request.inMemoryBytes, deadline: request.deadline)
        return DecodedImage(decoder: decoder, profile: segments.libvipsICCProfile, demand: .fatStrip)
    }

    /// Fast mode (SPEC §4): the largest libjpeg DCT scale 1/2–1/8 that keeps both sides ≥ 256 px.
    static func fastScale(width: Int, height: Int) -> Int {
        for k in [8, 4, 2] where (width + k - 1) / k >= 256 && (height + k - 1) / k >= 256 { return k }
        return 1
    }

    /// libexif without its specification fixes, as libvips loads an Exif APP1.
    private static func loadExif(_ tiff: [UInt8]) -> LibExifData? {
        LibExifData(tiff: tiff, followSpecification: false, ignoreUnknownTags: true)
    }

    /// JFIF units 1 (dpi) or 2 (dpcm) replace libvips' default, then the EXIF IFD0 resolution of
    /// the last Exif APP1 replaces that.
    private static func density(_ jfif: (units: Int, x: Int, y: Int)?, _ exif: LibExifData?) -> Double {
        var xres = Density.defaultPixelsPerMM
        if let jfif, jfif.x != 1, jfif.y != 1 {
            switch jfif.units {
            case 1: xres = Double(jfif.x) / 25.4
            case 2: xres = Double(jfif.x) / 10.0
            default: break
            }
        }
        if let fromExif = Density.exifResolution(exif) { xres = fromExif }
        return xres
    }
}
