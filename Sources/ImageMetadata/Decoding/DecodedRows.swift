import CImageShims
/// How libvips 8.10 labels the pixels a loader delivers (libvips-pipeline.md §14, §15).
enum PixelInterpretation: Equatable, Sendable {
    case bw, grey16, sRGB, rgb16, cmyk
}

/// The layout of the rows a decoder hands out: `bands` interleaved samples per pixel, 8 or 16 bits.
struct RowFormat: Equatable, Sendable {
    var width: Int
    var height: Int
    var bands: Int
    var sixteenBit: Bool
    var interpretation: PixelInterpretation

    /// Bytes per row.
    var rowBytes: Int { width * bands * (sixteenBit ? 2 : 1) }
}

/// Why the pixels of a readable file gave no pHash.
struct PixelError: Error, Equatable, Sendable, CustomStringConvertible {
    var message: String
    /// Set when the decode ran past `Limits.seconds`: the file then gets an error, not just a
    /// missing pHash.
    var timeLimit: Double? = nil
    /// Set when the whole file must fail with this error (a limit, a temporary file that cannot
    /// be written), not just lose its pHash.
    var fileError: MetadataError? = nil
    init(_ message: String) { self.message = message }

    static func file(_ error: MetadataError) -> PixelError {
        var pixelError = PixelError(error.message)
        pixelError.fileError = error
        return pixelError
    }

    /// The error of a CImageShims decoder call that returned `status` with `message`.
    static func shim(_ status: Int32, _ message: String, prefix: String, seconds: Double, maxScans: Int) -> PixelError {
        switch status {
        case CImageShims_TIME_LIMIT: return .timeLimit(seconds)
        case CImageShims_SCAN_LIMIT: return .file(.overLimit(what: "JPEG scan count", value: maxScans + 1, limit: maxScans))
        case CImageShims_TEMPORARY_FILE: return .file(.temporaryFile(detail: message))
        default: return PixelError(prefix + message)
        }
    }

    static func timeLimit(_ seconds: Double) -> PixelError {
        var error = PixelError("the time limit of \(seconds) s was reached")
        error.timeLimit = seconds
        return error
    }
    var description: String { message }
}

/// A decoder that hands out decoded rows top to bottom, a few at a time (SPEC §4 step 1).
protocol RowDecoder: AnyObject {
    var format: RowFormat { get }
    /// Decodes up to `count` rows into `buffer` (rows `format.rowBytes` apart; it holds at least
    /// `count` of them); returns how many.
    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int
}
