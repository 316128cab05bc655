import CImageShims

/// libpng through CImageShims, delivering what libvips 8.10's PNG loader (libspng 0.6) asks for
/// (libvips-pipeline.md §15.3): grey 1/2/4-bit as 8-bit, palette as RGB, tRNS as an alpha band,
/// 16-bit samples as UInt16; gAMA, sBIT and cHRM ignored.
final class PNGRowDecoder: RowDecoder {
    let format: RowFormat
    /// The iCCP profile, when libpng accepted it.
    let iccProfile: [UInt8]?
    private let handle: OpaquePointer
    /// What libpng reads, kept alive as long as the handle.
    private let input: DecoderInput

    /// Largest whole-image buffer an interlaced file may take (also in a temporary file's absence,
    /// where `inMemoryBytes` still applies).
    static let maxInterlacedBytes = 1 << 30
    private let seconds: Double

    /// `inMemoryBytes`: the most an interlaced file's passes may take in memory before they go to a
    /// temporary file (`Limits.inMemoryImageBytes`).
    init(_ input: DecoderInput, inMemoryBytes: Int = Limits().inMemoryImageBytes,
        deadline: PHashReader.Deadline = .init(Limits())) throws(PixelError)
    {
        seconds = deadline.seconds
        guard let opened = withUnsafePointer(to: input.input, { CImageShims_PNGOpen($0) }) else {
            throw PixelError("out of memory")
        }
        handle = opened
        self.input = input
        var info = CImageShims_PNGInfo()
        CImageShims_PNGSetDeadline(handle, deadline.remainingSeconds)
        let status = CImageShims_PNGStart(handle, max(0, inMemoryBytes), Self.maxInterlacedBytes, &info)
        guard status == CImageShims_OK else {
            let message = String(cString: CImageShims_PNGMessage(handle))
            CImageShims_PNGClose(handle)
            throw PixelError.shim(status, message, prefix: "pngload: ", seconds: seconds, maxScans: 0)
        }
        var length = 0
        if let profile = CImageShims_PNGProfile(handle, &length), length > 0 {
            iccProfile = Array(UnsafeBufferPointer(start: profile, count: length))
        } else {
            iccProfile = nil
        }
        let bands = Int(info.channels)
        let sixteen = info.bitDepth == 16
        let interpretation: PixelInterpretation =
            bands <= 2 ? (sixteen ? .grey16 : .bw) : (sixteen ? .rgb16 : .sRGB)
        format = RowFormat(
            width: Int(info.width), height: Int(info.height), bands: bands, sixteenBit: sixteen,
            interpretation: interpretation)
    }

    deinit {
        CImageShims_PNGClose(handle)
    }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        let got = CImageShims_PNGReadRows(
            handle, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, Int32(count), format.rowBytes)
        guard got >= 0 else {
            throw PixelError.shim(CImageShims_PNGStatus(handle), String(cString: CImageShims_PNGMessage(handle)), prefix: "pngload: ", seconds: seconds, maxScans: 0)
        }
        return Int(got)
    }
}
