import CImageShims

/// libjpeg-turbo through CImageShims, as libvips 8.10's JPEG loader drives it (libvips-pipeline.md §1,
/// §15.2): DCT scaling by 1/`scale`, CMYK and YCCK delivered as inverted CMYK, and `fail = TRUE`.
final class JPEGRowDecoder: RowDecoder {
    let format: RowFormat
    /// Stored frame size, before scaling.
    let imageWidth: Int
    let imageHeight: Int
    private let handle: OpaquePointer
    private let invert: Bool
    private var nextRow = 0
    /// Bytes of one scanline as libjpeg writes it (⌈W/scale⌉ pixels), and room for one strip of them.
    private let decodedRowBytes: Int
    private var strip: [UInt8]
    /// What libjpeg reads, kept alive as long as the handle.
    private let input: DecoderInput
    private let seconds: Double
    private let maxScans: Int

    /// libvips decodes in 8-row strips and refuses the next strip once libjpeg has warned (8.10
    /// `read_jpeg_generate`): warnings inside the last strip go unnoticed.
    static let stripRows = 8

    /// `inMemoryBytes`: the most a progressive file's coefficients may take in memory before they
    /// go to a temporary file (`Limits.inMemoryImageBytes`).
    /// `deadline` also bounds the time and the scan count of a progressive file's first pass.
    init(_ input: DecoderInput, scale: Int, inMemoryBytes: Int = Limits().inMemoryImageBytes,
        deadline: PHashReader.Deadline = .init(Limits())) throws(PixelError)
    {
        guard let opened = withUnsafePointer(to: input.input, { CImageShims_JPEGOpen($0) }) else {
            throw PixelError("out of memory")
        }
        handle = opened
        self.input = input
        seconds = deadline.seconds
        maxScans = deadline.jpegScans
        var info = CImageShims_JPEGInfo()
        CImageShims_JPEGSetLimits(handle, deadline.remainingSeconds, Int32(clamping: deadline.jpegScans))
        let status = CImageShims_JPEGStart(handle, Int32(scale), max(0, inMemoryBytes), &info)
        guard status == CImageShims_OK else {
            let message = String(cString: CImageShims_JPEGMessage(handle))
            CImageShims_JPEGClose(handle)
            throw PixelError.shim(status, message, prefix: "VipsJpeg: ", seconds: seconds, maxScans: maxScans)
        }
        imageWidth = Int(info.imageWidth)
        imageHeight = Int(info.imageHeight)
        let interpretation: PixelInterpretation
        switch info.colorSpace {
        case CImageShims_JPEG_GREY: interpretation = .bw
        case CImageShims_JPEG_CMYK: interpretation = .cmyk
        default: interpretation = .sRGB
        }
        invert = interpretation == .cmyk
        // libjpeg rounds the scaled size up; libvips 8.10 crops it to ⌊W/scale⌋ × ⌊H/scale⌋
        // (jpeg2vips.c `output_width = image_width / shrink`).
        let components = Int(info.components)
        decodedRowBytes = Int(info.width) * components
        strip = [UInt8](repeating: 0, count: decodedRowBytes * Self.stripRows)
        format = RowFormat(
            width: imageWidth / scale, height: imageHeight / scale, bands: components, sixteenBit: false,
            interpretation: interpretation)
    }

    deinit {
        CImageShims_JPEGClose(handle)
    }

    private func rowError() -> PixelError {
        let code = CImageShims_JPEGStatus(handle)
        return .shim(code, String(cString: CImageShims_JPEGMessage(handle)), prefix: "VipsJpeg: ", seconds: seconds, maxScans: maxScans)
    }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        var done = 0
        let rowBytes = format.rowBytes
        while done < count && nextRow < format.height {
            if nextRow % Self.stripRows == 0 && CImageShims_JPEGWarnings(handle) > 0 {
                throw PixelError("VipsJpeg: " + String(cString: CImageShims_JPEGMessage(handle)))
            }
            let want = min(count - done, Self.stripRows - nextRow % Self.stripRows, format.height - nextRow)
            let out = UnsafeMutableRawBufferPointer(rebasing: buffer[(done * rowBytes)...])
            if !invert && decodedRowBytes == rowBytes {
                // Rows as libjpeg writes them are the rows asked for: decode in place, no copy.
                let got = Int(CImageShims_JPEGReadRows(
                    handle, out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count, Int32(want), rowBytes))
                guard got > 0 else { throw rowError() }
                done += got
                nextRow += got
                continue
            }
            let decodedRowBytes = decodedRowBytes
            let got = strip.withUnsafeMutableBufferPointer { s in
                Int(CImageShims_JPEGReadRows(handle, s.baseAddress!, s.count, Int32(want), decodedRowBytes))
            }
            guard got > 0 else { throw rowError() }
            strip.withUnsafeBytes { s in
                for r in 0..<got {
                    let from = UnsafeRawBufferPointer(rebasing: s[(r * decodedRowBytes)..<(r * decodedRowBytes + rowBytes)])
                    let to = UnsafeMutableRawBufferPointer(rebasing: out[(r * rowBytes)..<((r + 1) * rowBytes)])
                    if invert {
                        for i in 0..<rowBytes { to[i] = 255 &- from[i] }  // libvips inverts CMYK (§15.2)
                    } else {
                        to.copyMemory(from: from)
                    }
                }
            }
            done += got
            nextRow += got
        }
        return done
    }
}
