import CImageShims

/// libheif through CImageShims: the primary image of a HEIC or AVIF file, with what libvips 8.14's
/// `heifload` reports of it (README, "Formats"), and its pixels as heifload asks for them:
/// interleaved RGB or RGBA, 8-bit, or 16-bit when the image has more than 8 bits per sample.
/// libheif decodes the whole image at once; the rows are then handed out from its buffer.
final class HEIFDecoder: RowDecoder {
    let format: RowFormat
    let hasAlpha: Bool
    /// Luma bits per sample.
    let bitsPerPixel: Int
    /// Top-level images in the file.
    let images: Int
    /// The `prof`/`rICC` colour profile; an `nclx` box is no profile for libvips.
    let iccProfile: [UInt8]?
    private let exifLength: Int
    private let handle: OpaquePointer
    /// What libheif reads, kept alive as long as the handle.
    private let input: DecoderInput
    private var decoded = false

    /// libheif's own largest side (its default), and the most top-level images read.
    static let maxSide: Int32 = 32768
    static let maxImages: Int32 = 4096

    /// Parses the boxes of the `length` bytes of `input` and opens the primary image; nothing is
    /// decoded yet.
    init(_ input: DecoderInput, length: Int, limits: Limits) throws(PixelError) {
        guard let opened = withUnsafePointer(to: input.input, { CImageShims_HEIFOpen($0, UInt64(length)) }) else {
            throw PixelError("out of memory")
        }
        handle = opened
        self.input = input
        var info = CImageShims_HEIFInfo()
        guard CImageShims_HEIFStart(handle, Self.maxSide, Self.maxImages, max(0, limits.chunkSize), &info) == CImageShims_OK
        else {
            let message = String(cString: CImageShims_HEIFMessage(handle))
            CImageShims_HEIFClose(handle)
            throw PixelError(message)
        }
        var length = 0
        if let profile = CImageShims_HEIFProfile(handle, &length), length > 0 {
            iccProfile = Array(UnsafeBufferPointer(start: profile, count: length))
        } else {
            iccProfile = nil
        }
        hasAlpha = info.hasAlpha != 0
        bitsPerPixel = Int(info.bitsPerPixel)
        images = Int(info.images)
        exifLength = info.exifLength
        let sixteen = bitsPerPixel > 8
        format = RowFormat(
            width: Int(info.width), height: Int(info.height), bands: hasAlpha ? 4 : 3, sixteenBit: sixteen,
            interpretation: sixteen ? .rgb16 : .sRGB)
    }

    deinit {
        CImageShims_HEIFClose(handle)
    }

    /// The primary image's first non-empty `Exif` block as libheif returns it: a 4-byte big-endian
    /// offset, then that many bytes before the TIFF header (HEIF, ISO/IEC 23008-12 A.2.1).
    func exifBlock(limit: Int) throws(PixelError) -> [UInt8]? {
        guard exifLength > 0 else { return nil }
        guard exifLength <= limit else { throw PixelError("the Exif block (\(exifLength) bytes) exceeds the chunk size limit") }
        var block = [UInt8](repeating: 0, count: exifLength)
        let status = block.withUnsafeMutableBytes { raw in
            CImageShims_HEIFCopyExif(handle, raw.baseAddress, raw.count)
        }
        guard status == CImageShims_OK else { throw PixelError(String(cString: CImageShims_HEIFMessage(handle))) }
        return block
    }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        if !decoded {
            guard CImageShims_HEIFDecode(handle) == CImageShims_OK else {
                throw PixelError("heifload: " + String(cString: CImageShims_HEIFMessage(handle)))
            }
            decoded = true
        }
        let got = CImageShims_HEIFReadRows(
            handle, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, Int32(count), format.rowBytes)
        guard got >= 0 else { throw PixelError("heifload: " + String(cString: CImageShims_HEIFMessage(handle))) }
        return Int(got)
    }
}
