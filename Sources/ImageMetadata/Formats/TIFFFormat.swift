import CImageShims

/// TIFF as sharp 0.26 / libvips 8.10 read it: page 0 through libtiff, and what `tiff2vips.c` makes
/// of it (libvips-pipeline.md §15.6): bands, sample format and interpretation as
/// `rtiff_pick_reader` chooses them, the ICC profile, the resolution and the Orientation tag.
/// ImageKit's `exif` is `{}` (SPEC §3).
final class TIFFFormat: FormatReader {
    static let format = ImageFormat.tiff

    /// Classic TIFF and BigTIFF, either byte order.
    static func detect(_ head: [UInt8]) -> Bool {
        [[0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A], [0x49, 0x49, 0x2B, 0x00], [0x4D, 0x4D, 0x00, 0x2B]]
            .contains { head.hasPrefix($0) }
    }

    /// libvips' view of the pixels: how rows are unpacked, and the image it labels them as.
    enum Reader: Equatable {
        /// 1/2/4-bit grey, expanded to 8 bits (`rtiff_parse_onebit` …).
        case bits(Int)
        /// Grey with any extra samples; MINISWHITE inverts the first band of unsigned samples.
        case greyscale
        /// Palette through the colour map; `mono` when all three maps are equal.
        case palette(mono: Bool)
        /// Samples copied as they are (RGB, YCbCr as RGB, CMYK, anything else).
        case copy
        /// CIELAB and LogLuv, which libvips converts on load.
        case lab, logluv
    }

    enum Interpretation: Equatable { case bw, grey16, sRGB, rgb16, scRGB, cmyk, lab, multiband }
    enum SampleFormat: Equatable { case uchar, char, ushort, short, uint, int, float, double }

    let info: CImageShims_TIFFInfo
    let reader: Reader
    let bands: Int
    let sampleFormat: SampleFormat
    let interpretation: Interpretation
    let iccProfile: [UInt8]?
    let header: ImageHeader
    let handle: OpaquePointer
    private let input: DecoderInput

    /// The compressions sharp 0.26's libtiff 4.1.0 was built without (§15.1).
    static let missingCodecs: [Int32: String] = [
        6: "old-style JPEG", 34925: "LZMA", 50000: "ZSTD", 32908: "PixarLog", 32909: "PixarLog",
        34661: "JBIG", 34887: "LERC",
    ]

    /// The file's deadline, started as its container is read.
    let deadline: PHashReader.Deadline

    init(_ source: ByteSource, limits: Limits) throws(MetadataError) {
        deadline = PHashReader.Deadline(limits)
        let input = DecoderInput(source)
        guard let opened = withUnsafePointer(to: input.input, { CImageShims_TIFFOpen($0) }) else {
            throw MetadataError.invalidHeader(format: .tiff, detail: "out of memory")
        }
        var info = CImageShims_TIFFInfo()
        let layout: (Reader, Int, SampleFormat, Interpretation)
        do throws(PixelError) {
            guard CImageShims_TIFFReadHeader(opened, &info) == CImageShims_OK else {
                throw PixelError(String(cString: CImageShims_TIFFMessage(opened)))
            }
            layout = try Self.layout(info)
            if info.hasResolution != 0, ![1, 2, 3].contains(info.resolutionUnit) {
                throw PixelError("tiff2vips: unknown resolution unit")
            }
        } catch {
            CImageShims_TIFFClose(opened)
            throw MetadataError.invalidHeader(format: .tiff, detail: error.message)
        }
        handle = opened
        self.input = input
        self.info = info
        (reader, bands, sampleFormat, interpretation) = layout
        iccProfile = info.icc.map { Array(UnsafeBufferPointer(start: $0, count: info.iccLength)) }
        header = ImageHeader(
            width: Int(info.width), height: Int(info.height), bands: bands,
            hasAlpha: interpretation == .cmyk ? bands == 5 : bands == 2 || bands == 4,
            hasColorProfile: iccProfile != nil, pixelsPerMM: Self.pixelsPerMM(info))
    }

    deinit { CImageShims_TIFFClose(handle) }

    var width: Int { Int(info.width) }
    var height: Int { Int(info.height) }
    /// The Orientation tag of IFD 0, clipped to 1–8 (§16).
    var orientation: Int { Int(info.orientation) }

    func makeDecoder(_ request: DecodeRequest) throws(PixelError) -> DecodedImage {
        let decoder = try TIFFRowDecoder(self, inMemoryBytes: request.inMemoryBytes)
        return DecodedImage(decoder: decoder, profile: iccProfile, demand: .thinStrip)
    }

    /// libvips' resolution in pixels per millimetre (`get_resolution`, float arithmetic): inch and
    /// centimetre are converted, "no unit" is taken as it is, no resolution is 1.
    static func pixelsPerMM(_ info: CImageShims_TIFFInfo) -> Double {
        guard info.hasResolution != 0 else { return 1 }
        let x = Float(info.resolution)
        switch info.resolutionUnit {
        case 2: return Double(Float(Double(x) / (10.0 * 2.54)))
        case 3: return Double(Float(Double(x) / 10.0))
        default: return Double(x)
        }
    }

    /// `rtiff_pick_reader` and the parse function it picks: the reader, bands, sample format and
    /// interpretation of the loaded image, or the error libvips gives.
    static func layout(_ h: CImageShims_TIFFInfo) throws(PixelError) -> (Reader, Int, SampleFormat, Interpretation) {
        let bits = Int(h.bitsPerSample)
        let spp = Int(h.samplesPerPixel)
        let photometric = Int(h.photometric)
        switch photometric {
        case 8 where bits == 8:  // CIELAB
            return (.lab, spp > 3 ? spp : 4, spp > 3 ? .float : .uchar, .lab)
        case 8 where bits == 16:
            return (.lab, spp, .short, .lab)
        case 32844:  // LogLuv
            return (.logluv, 3, .float, .lab)
        case 0, 1:  // MINISWHITE, MINISBLACK
            if [1, 2, 4].contains(bits) {
                guard spp == 1 else { throw PixelError("tiff2vips: not 1 bands") }
                return (.bits(bits), 1, .uchar, .bw)
            }
            guard bits % 8 == 0 else { throw PixelError("tiff2vips: samples_per_pixel not a whole number of bytes") }
            let format = try sampleFormat(h)
            return (.greyscale, spp, format, bits == 16 ? .grey16 : .bw)
        case 3:  // PALETTE
            guard [1, 2, 4, 8, 16].contains(bits) else {
                throw PixelError("tiff2vips: \(bits) bits per sample palette image not supported")
            }
            guard let red = h.colorMap.0, let green = h.colorMap.1, let blue = h.colorMap.2 else {
                throw PixelError("tiff2vips: bad colormap")
            }
            var mono = true
            for i in 0..<(1 << bits) where red[i] != green[i] || green[i] != blue[i] {
                mono = false
                break
            }
            let wide = bits > 8
            return (
                .palette(mono: mono), mono ? spp : spp + 2, wide ? .ushort : .uchar,
                mono ? (wide ? .grey16 : .bw) : (wide ? .rgb16 : .sRGB)
            )
        default:
            guard bits % 8 == 0 else { throw PixelError("tiff2vips: samples_per_pixel not a whole number of bytes") }
            let format = try sampleFormat(h)
            let interpretation: Interpretation
            if spp >= 3 && (photometric == 2 || photometric == 6) {  // RGB, YCbCr
                switch format {
                case .ushort: interpretation = .rgb16
                case .float, .double: interpretation = .scRGB
                default: interpretation = .sRGB
                }
            } else if spp >= 3 && photometric == 8 {
                interpretation = .lab
            } else if photometric == 5 && spp >= 4 && h.inkSet == 1 {  // SEPARATED, CMYK ink set
                interpretation = .cmyk
            } else {
                interpretation = .multiband
            }
            return (.copy, spp, format, interpretation)
        }
    }

    /// `rtiff_guess_format`.
    static func sampleFormat(_ h: CImageShims_TIFFInfo) throws(PixelError) -> SampleFormat {
        let signed = h.sampleFormat == 2
        let unsigned = h.sampleFormat == 1
        switch h.bitsPerSample {
        case 8 where signed: return .char
        case 8 where unsigned: return .uchar
        case 16 where signed: return .short
        case 16 where unsigned: return .ushort
        case 32 where signed: return .int
        case 32 where unsigned: return .uint
        case 32 where h.sampleFormat == 3: return .float
        default: throw PixelError("tiff2vips: unsupported tiff image type")
        }
    }

    /// The load checks of sharp 0.26's libtiff build (§15.1, §15.6).
    func checkLoad() throws(PixelError) {
        if let name = Self.missingCodecs[Int32(info.compression)] {
            throw PixelError("tiff2vips: \(name) compression not built into sharp 0.26")
        }
    }
}
