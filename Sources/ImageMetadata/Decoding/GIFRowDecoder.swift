import CImageShims

/// giflib through CImageShims: frame 1 of a GIF on a zeroed canvas of the logical screen, as libvips
/// 8.10's gifload renders it (libvips-pipeline.md §15.4). Rows stream as they are decoded; an
/// interlaced frame is read whole first (spilled to a temporary file above the memory budget).
final class GIFRowDecoder: RowDecoder {
    let format: RowFormat
    private let handle: OpaquePointer
    private let seconds: Double
    /// What giflib reads, kept alive as long as the handle.
    private let input: DecoderInput

    init(_ input: DecoderInput, screen: GIFScan, _ request: DecodeRequest) throws(PixelError) {
        guard let opened = withUnsafePointer(to: input.input, { CImageShims_GIFOpen($0) }) else {
            throw PixelError("out of memory")
        }
        handle = opened
        self.input = input
        seconds = request.deadline.seconds
        let status = CImageShims_GIFStart(
            handle, Int32(screen.width), Int32(screen.height), Int32(screen.bands), max(0, request.inMemoryBytes),
            request.deadline.remainingSeconds)
        if status != CImageShims_OK {
            let error = Self.error(status, handle, seconds)
            CImageShims_GIFClose(handle)
            throw error
        }
        format = RowFormat(
            width: screen.width, height: screen.height, bands: screen.bands, sixteenBit: false,
            interpretation: screen.colour ? .sRGB : .bw)
    }

    deinit { CImageShims_GIFClose(handle) }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        let got = CImageShims_GIFReadRows(
            handle, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, Int32(count), format.rowBytes)
        guard got >= 0 else { throw Self.error(got, handle, seconds) }
        return Int(got)
    }

    private static func error(_ status: Int32, _ handle: OpaquePointer, _ seconds: Double) -> PixelError {
        .shim(status, String(cString: CImageShims_GIFMessage(handle)), prefix: "gifload: ", seconds: seconds, maxScans: 0)
    }
}

/// What the header pass over a whole GIF finds (libvips 8.10 `vips_foreign_load_gif_scan`).
struct GIFScan {
    var width: Int
    var height: Int
    /// Some frame's colour map has a non-grey entry: 3 colour bands, else 1.
    var colour: Bool
    /// Some Graphic Control Extension sets a transparent index: one more band, for alpha.
    var transparency: Bool
    var bands: Int
    var frames: Int

    /// Runs the pass; a file libvips cannot open this way has no header at all.
    init(_ input: DecoderInput, limits: Limits) throws(MetadataError) {
        guard let handle = withUnsafePointer(to: input.input, { CImageShims_GIFOpen($0) }) else {
            throw MetadataError.invalidHeader(format: .gif, detail: "out of memory")
        }
        defer { CImageShims_GIFClose(handle) }
        var info = CImageShims_GIFInfo()
        let status = CImageShims_GIFScan(handle, limits.frames, &info)
        if status == CImageShims_LIMIT {
            throw MetadataError.overLimit(what: "number of frames", value: limits.frames + 1, limit: limits.frames)
        }
        guard status == CImageShims_OK else {
            throw MetadataError.invalidHeader(format: .gif, detail: String(cString: CImageShims_GIFMessage(handle)))
        }
        width = Int(info.width)
        height = Int(info.height)
        colour = info.colour != 0
        transparency = info.transparency != 0
        bands = Int(info.bands)
        frames = info.frames
    }
}
