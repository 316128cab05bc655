import CImageShims

/// WebP as sharp 0.26 / libvips 8.10 read it, through libwebp's demuxer as `webp2vips.c` opens it
/// (libvips-pipeline.md §15.5): the canvas, the band count, frame 1, and the ICC and EXIF chunks,
/// which count only when their VP8X flag is set. libvips sets no resolution (72 dpi); ImageKit's
/// `exif` is `{}` (SPEC §3).
final class WebPFormat: FormatReader {
    static let format = ImageFormat.webp

    static func detect(_ head: [UInt8]) -> Bool {
        head.hasPrefix(Array("RIFF".utf8)) && head.hasPrefix(Array("WEBP".utf8), at: 8)
    }

    let canvasWidth: Int
    let canvasHeight: Int
    /// libvips' band choice: 4 when the VP8X alpha flag is set, or (animations) when any frame has
    /// alpha or leaves part of the canvas uncovered; otherwise 3.
    let hasAlpha: Bool
    let iccProfile: [UInt8]?
    let exifChunk: [UInt8]?
    let frame: (x: Int, y: Int, width: Int, height: Int, blends: Bool)
    let frameCount: Int
    let header: ImageHeader
    let handle: OpaquePointer
    /// What libwebp reads, kept alive as long as the handle.
    private let input: DecoderInput
    private var started = false

    /// The file's deadline, started as its container is read.
    let deadline: PHashReader.Deadline

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        let deadline = PHashReader.Deadline(limits)
        self.deadline = deadline
        let input = DecoderInput(source)
        guard let opened = withUnsafePointer(to: input.input, {
            CImageShims_WebPOpen($0, limits.inMemoryImageBytes, deadline.remainingSeconds)
        }) else {
            throw MetadataError.invalidHeader(format: .webp, detail: "out of memory")
        }
        switch CImageShims_WebPStatus(opened) {
        case CImageShims_TEMPORARY_FILE:
            let message = String(cString: CImageShims_WebPMessage(opened))
            CImageShims_WebPClose(opened)
            throw MetadataError.temporaryFile(detail: message)
        case CImageShims_TIME_LIMIT:
            CImageShims_WebPClose(opened)
            throw MetadataError.timeLimit(seconds: limits.seconds)
        default: break
        }
        var info = CImageShims_WebPInfo()
        guard CImageShims_WebPReadHeader(opened, &info) == CImageShims_OK else {
            let message = String(cString: CImageShims_WebPMessage(opened))
            CImageShims_WebPClose(opened)
            throw MetadataError.invalidHeader(format: .webp, detail: message)
        }
        // The ICC and EXIF chunks are kept in memory: bounded as JPEG's kept segments are.
        let kept = (info.icc == nil ? 0 : info.iccLength) + (info.exif == nil ? 0 : info.exifLength)
        guard kept <= limits.metadataBytes else {
            CImageShims_WebPClose(opened)
            throw MetadataError.overLimit(what: "WebP metadata kept in bytes", value: kept, limit: limits.metadataBytes)
        }
        guard Int(info.frameCount) <= limits.frames else {
            CImageShims_WebPClose(opened)
            throw MetadataError.overLimit(what: "number of frames", value: Int(info.frameCount), limit: limits.frames)
        }
        handle = opened
        self.input = input
        canvasWidth = Int(info.canvasWidth)
        canvasHeight = Int(info.canvasHeight)
        hasAlpha = info.alpha != 0
        frameCount = Int(info.frameCount)
        frame = (Int(info.frameX), Int(info.frameY), Int(info.frameWidth), Int(info.frameHeight), info.frameBlends != 0)
        iccProfile = info.icc.map { Array(UnsafeBufferPointer(start: $0, count: info.iccLength)) }
        exifChunk = info.exif.map { Array(UnsafeBufferPointer(start: $0, count: info.exifLength)) }
        header = ImageHeader(
            width: canvasWidth, height: canvasHeight, bands: hasAlpha ? 4 : 3, hasAlpha: hasAlpha,
            hasColorProfile: iccProfile != nil, pixelsPerMM: 1.0)
    }

    deinit { CImageShims_WebPClose(handle) }

    /// The EXIF orientation libvips 8.10 attaches (§16).
    var orientation: Int { exifChunk.map { ExifOrientation.webp(exifChunk: $0) } ?? 1 }

    func checkLoad() throws(PixelError) {}

    /// Shrink-on-load by libwebp's scaling: sharp's factor as for JPEG, or more in fast mode (SPEC §4).
    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        var shrink = sharpShrinkOnLoad(width: canvasWidth, height: canvasHeight)
        if request.mode == .fast { shrink = max(shrink, JPEGFormat.fastScale(width: canvasWidth, height: canvasHeight)) }
        let decoder = try WebPRowDecoder(self, shrink: shrink, inMemoryBytes: request.inMemoryBytes)
        return DecodedImage(decoder: decoder, profile: iccProfile, demand: .thinStrip)
    }

    /// Starts the one decode of frame 1 this file allows.
    func start(width: Int, height: Int, scaled: Bool, inMemoryBytes: Int) throws(PixelError) {
        guard !started else { throw PixelError("webp2vips: frame 1 was already decoded") }
        started = true
        let status = CImageShims_WebPStart(handle, Int32(width), Int32(height), scaled ? 1 : 0, max(0, inMemoryBytes))
        guard status == CImageShims_OK else {
            let message = String(cString: CImageShims_WebPMessage(handle))
            if status == CImageShims_TEMPORARY_FILE { throw .file(.temporaryFile(detail: message)) }
            throw PixelError("webp2vips: " + message)
        }
    }
}
