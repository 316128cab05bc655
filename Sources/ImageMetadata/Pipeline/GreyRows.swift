/// Decoded rows → the B_W band and the alpha band sharp 0.26 works on (SPEC §4 steps 2–3;
/// libvips-pipeline.md §1 steps 5–6, §5, §14): the ICC or CMYK transform to sRGB, then
/// `colourspace(B_W)`. GREY16 goes through RGB16; a 16-bit alpha becomes `a >> 8`.
final class GreyRows {
    let format: RowFormat
    /// Whether the B_W image has an alpha band (sharp `HasAlpha`: 2 or 4 bands).
    let hasAlpha: Bool
    private let transform: ColorTransform?
    /// Colour bands of a decoded pixel; the rest are carried along (the last one is alpha).
    private let colourBands: Int
    private let rgbSixteen: Bool
    private var gathered: [UInt8] = []
    private var converted: [UInt8] = []
    /// 8-bit RGB through a profile: colours already converted in this image (speed only).
    private let memo: ColourMemo?
    /// Columns of the colours of a row that the memo lacked.
    private var missing: [Int] = []

    /// `profile`: the embedded ICC profile, if any.
    init(format: RowFormat, profile: [UInt8]?) throws(PixelError) {
        self.format = format
        var transform: ColorTransform? = nil
        if let profile, format.interpretation != .grey16 {
            // Step 5: the embedded profile when libvips accepts it; otherwise the pixels stay as they are.
            transform = ColorTransformCache.shared.transform(
                profile: profile, interpretation: format.interpretation, bands: format.bands,
                sixteenBit: format.interpretation == .rgb16 && format.sixteenBit)
        } else if format.interpretation == .cmyk {
            // libvips 8.10 converts these with its built-in CMYK profile ("Chemical proof"), which
            // ikmeta does not include: no pHash rather than a different one (README).
            throw PixelError("CMYK without an embedded ICC profile: libvips' built-in CMYK profile is not included")
        }
        self.transform = transform
        let extra: Int
        if let transform {
            colourBands = transform.inputColorBands
            rgbSixteen = transform.sixteenBit
            extra = format.bands - colourBands
        } else {
            switch format.interpretation {
            case .bw, .grey16: colourBands = 1
            case .sRGB, .rgb16: colourBands = 3
            case .cmyk: throw PixelError("not modelled: colourspace(B_W) from CMYK with a refused profile")
            }
            rgbSixteen = format.sixteenBit
            extra = format.bands - colourBands
        }
        hasAlpha = extra == 1 || extra == 3
        if let transform {
            gathered = [UInt8](repeating: 0, count: format.width * colourBands * (format.sixteenBit ? 2 : 1))
            converted = [UInt8](repeating: 0, count: format.width * 3 * (transform.sixteenBit ? 2 : 1))
        }
        if let transform, colourBands == 3, !format.sixteenBit {
            memo = ColourMemo(black: Self.greyThrough(transform, 0, 0, 0), pixels: format.width * format.height)
            missing = [Int](repeating: 0, count: format.width)
        } else {
            memo = nil
        }
    }

    /// B_W of one 8-bit RGB colour through `transform` (how the memo's start value is made).
    private static func greyThrough(_ transform: ColorTransform, _ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let input: [UInt8] = [r, g, b]
        var output: [UInt8] = [0, 0, 0]
        input.withUnsafeBytes { i in output.withUnsafeMutableBytes { o in transform.apply(i.baseAddress!, o.baseAddress!, pixels: 1) } }
        return GreyConversion.eightBit.grey(Int(output[0]), Int(output[1]), Int(output[2]))
    }

    /// Converts one decoded row.
    func convert(_ row: UnsafeRawPointer, grey: UnsafeMutablePointer<UInt8>, alpha: UnsafeMutablePointer<UInt8>?) {
        let w = format.width
        let bands = format.bands
        if format.sixteenBit {
            let s = row.assumingMemoryBound(to: UInt16.self)
            if let alpha, hasAlpha {
                for x in 0..<w { alpha[x] = UInt8(s[x * bands + bands - 1] >> 8) }
            }
        } else {
            let s = row.assumingMemoryBound(to: UInt8.self)
            if let alpha, hasAlpha {
                for x in 0..<w { alpha[x] = s[x * bands + bands - 1] }
            }
        }
        if let transform, let memo {
            convertThroughMemo(row.assumingMemoryBound(to: UInt8.self), transform, memo, grey: grey)
            return
        }
        if let transform {
            let sampleBytes = format.sixteenBit ? 2 : 1
            gathered.withUnsafeMutableBytes { g in
                converted.withUnsafeMutableBytes { c in
                    var input = UnsafeRawPointer(row)
                    if bands != colourBands {
                        let pixelBytes = bands * sampleBytes
                        let keep = colourBands * sampleBytes
                        for x in 0..<w {
                            (g.baseAddress! + x * keep).copyMemory(from: row + x * pixelBytes, byteCount: keep)
                        }
                        input = UnsafeRawPointer(g.baseAddress!)
                    }
                    transform.apply(input, c.baseAddress!, pixels: w)
                    if rgbSixteen {
                        Self.rgbToGrey(c.baseAddress!.assumingMemoryBound(to: UInt16.self), 3, w, GreyConversion.sixteenBit, grey)
                    } else {
                        Self.rgbToGrey(c.baseAddress!.assumingMemoryBound(to: UInt8.self), 3, w, GreyConversion.eightBit, grey)
                    }
                }
            }
            return
        }
        switch (format.interpretation, format.sixteenBit) {
        case (.bw, false):
            let s = row.assumingMemoryBound(to: UInt8.self)
            for x in 0..<w { grey[x] = s[x * bands] }
        case (.grey16, _), (.bw, true):
            let s = row.assumingMemoryBound(to: UInt16.self)
            let table = GreyConversion.sixteenBit
            for x in 0..<w {
                let v = Int(s[x * bands])
                grey[x] = table.grey(v, v, v)
            }
        case (_, true):
            Self.rgbToGrey(row.assumingMemoryBound(to: UInt16.self), bands, w, GreyConversion.sixteenBit, grey)
        default:
            Self.rgbToGrey(row.assumingMemoryBound(to: UInt8.self), bands, w, GreyConversion.eightBit, grey)
        }
    }

    /// The ICC path for 8-bit RGB: colours found in the memo are done; the others go through lcms
    /// in one batch, then through the grey formula, and into the memo. Same values as converting
    /// every pixel (lcms treats each pixel on its own).
    private func convertThroughMemo(
        _ s: UnsafePointer<UInt8>, _ transform: ColorTransform, _ memo: ColourMemo, grey: UnsafeMutablePointer<UInt8>
    ) {
        let w = format.width
        let bands = format.bands
        missing.withUnsafeMutableBufferPointer { missing in
            gathered.withUnsafeMutableBufferPointer { g in
                converted.withUnsafeMutableBufferPointer { c in
                    let gather = g.baseAddress!
                    let out = c.baseAddress!
                    var misses = 0
                    var p = s
                    for x in 0..<w {
                        if let known = memo.lookup(ColourMemo.key(p[0], p[1], p[2])) {
                            grey[x] = known
                        } else {
                            (gather + 3 * misses).update(from: p, count: 3)
                            missing[misses] = x
                            misses += 1
                        }
                        p += bands
                    }
                    guard misses > 0 else { return }
                    transform.apply(gather, out, pixels: misses)
                    let table = GreyConversion.eightBit
                    for j in 0..<misses {
                        let q = out + 3 * j
                        let value = table.grey(Int(q[0]), Int(q[1]), Int(q[2]))
                        let x = missing[j]
                        grey[x] = value
                        let i = gather + 3 * j
                        memo.store(ColourMemo.key(i[0], i[1], i[2]), value)
                    }
                }
            }
        }
    }

    private static func rgbToGrey<S: FixedWidthInteger & UnsignedInteger>(
        _ s: UnsafePointer<S>, _ bands: Int, _ w: Int, _ table: GreyConversion, _ grey: UnsafeMutablePointer<UInt8>
    ) {
        table.greyRow(s, bands: bands, count: w, into: grey)
    }
}
