/// One image format, as sharp 0.26 / libvips 8.10 read it. A reader is made per file: its `init`
/// reads the container once (markers, chunks) into an index that every later step uses; nothing
/// after it walks the container again. Readers are listed in `FormatRegistry`.
protocol FormatReader: AnyObject {
    /// The `format` field's value.
    static var format: ImageFormat { get }
    /// Whether a file starting with `head` (its first 512 bytes or fewer) is in this format (SPEC §2).
    static func detect(_ head: [UInt8]) -> Bool
    /// Reads the container: throws when not even the header can be read (SPEC §5).
    init(_ source: ByteSource, limits: Limits) throws(MetadataError)

    /// Size, bands, alpha, colour profile and resolution, as libvips' loader gives them.
    var header: ImageHeader { get }
    /// The file's deadline (`Limits.seconds`), started when `init` began: the container walk, the
    /// load checks and the decode all check it.
    var deadline: PHashReader.Deadline { get }
    /// The `exif` object (SPEC §3); `{}` for formats whose EXIF ImageKit does not read.
    func exif() -> ExifField
    /// What sharp 0.26 refuses before it decodes a pixel (libvips-pipeline.md §15.1). Throwing
    /// leaves the pHash out; the other fields stay.
    func checkLoad() throws(PixelError)
    /// The EXIF orientation libvips attaches, 1–8 (§16).
    var orientation: Int { get }
    /// The decoder for the pHash's pixels, set up as the loader sets it up (shrink-on-load included).
    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage
}

extension FormatReader {
    func exif() -> ExifField { ExifField(object: JSONObject(), diagnostics: []) }
    var orientation: Int { 1 }
}

/// What the loader's header gives (SPEC §2).
struct ImageHeader {
    var width: Int
    var height: Int
    /// Samples per pixel as the loader delivers them, alpha included.
    var bands: Int
    /// `hasTransparency`: the loaded image has an alpha band.
    var hasAlpha: Bool
    /// `hasColorProfile`.
    var hasColorProfile: Bool
    /// libvips' horizontal resolution in pixels per millimetre, for `density`.
    var pixelsPerMM: Double = Density.defaultPixelsPerMM
    /// Damage found in the container; the fields are still given.
    var diagnostics: [Diagnostic] = []
}

/// The `exif` field and what went wrong reading it.
struct ExifField {
    var object: JSONObject
    var diagnostics: [Diagnostic]
    /// The typed entries behind `object` (`MetadataResult.exifEntries`).
    var entries: [ExifEntry] = []
}

/// What the pHash asks of a decoder.
struct DecodeRequest {
    var mode: ReadOptions.PHashMode
    /// `Limits.inMemoryImageBytes`: the most a whole image may hold in memory before it goes to a
    /// temporary file.
    var inMemoryBytes: Int
    /// When the decode must end, and its scan cap (`Limits.seconds`, `Limits.jpegScans`).
    var deadline = PHashReader.Deadline(Limits())
}

/// A decoder ready to hand out rows, and what the loader tells the pipeline about them.
struct DecodedImage {
    var decoder: RowDecoder
    /// The ICC profile libvips attaches (nil: none).
    var profile: [UInt8]?
    var demand: LoaderDemand
}

/// How the loader asks libvips for pixels (`VipsDemandStyle`); it decides the rows per region of
/// the later reducev (libvips-pipeline.md §9).
enum LoaderDemand: Equatable {
    /// Strips of 16 rows (`VIPS_DEMAND_STYLE_FATSTRIP`, the JPEG loader).
    case fatStrip
    /// One row at a time (`VIPS_DEMAND_STYLE_THINSTRIP`, the PNG loader).
    case thinStrip
}
