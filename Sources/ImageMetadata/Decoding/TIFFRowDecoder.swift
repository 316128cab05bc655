import CImageShims

/// The rows of a TIFF's page 0 as libvips 8.10 loads them (libvips-pipeline.md §14, §15.6), in a
/// layout the pipeline reads: 1/2/4-bit grey expanded, MINISWHITE inverted, palettes mapped,
/// associated alpha unpremultiplied, and other sample formats cast the way `colourspace(B_W)`
/// casts them (signed 16-bit grey clipped to ushort; integer and float RGB clipped to uchar).
final class TIFFRowDecoder: RowDecoder {
    let format: RowFormat
    private let file: TIFFFormat
    private let rawRowBytes: Int
    private var raw: [UInt8]
    /// libvips' band format after loading, and the one the pipeline receives.
    private let loaded: TIFFFormat.SampleFormat
    private let photometric: Int32
    private var red8: [UInt8] = [], green8: [UInt8] = [], blue8: [UInt8] = []

    init(_ file: TIFFFormat, inMemoryBytes: Int = Limits().inMemoryImageBytes) throws(PixelError) {
        self.file = file
        loaded = file.sampleFormat
        photometric = file.info.photometric
        let interpretation: PixelInterpretation
        var sixteen = false
        switch (file.interpretation, file.sampleFormat) {
        case (.bw, .uchar): interpretation = .bw
        case (.grey16, .ushort), (.grey16, .short): interpretation = .grey16; sixteen = true
        case (.sRGB, .uchar), (.sRGB, .char), (.sRGB, .short), (.sRGB, .uint), (.sRGB, .int), (.scRGB, .float):
            interpretation = .sRGB
        case (.rgb16, .ushort): interpretation = .rgb16; sixteen = true
        case (.cmyk, .uchar): interpretation = .cmyk
        case (.multiband, .uchar): interpretation = file.bands < 3 ? .bw : .sRGB
        case (.multiband, .ushort): interpretation = file.bands < 3 ? .grey16 : .rgb16; sixteen = true
        default:
            throw PixelError("not modelled: a \(file.interpretation) TIFF with \(file.sampleFormat) samples")
        }
        guard CImageShims_TIFFStart(file.handle, max(0, inMemoryBytes)) == CImageShims_OK else { throw Self.error(file) }
        rawRowBytes = CImageShims_TIFFRowBytes(file.handle)
        if file.reader == .copy, file.info.photometric != 6 {
            // tiff2vips copies these rows as they are, and checks that their sizes agree.
            guard rawRowBytes == file.width * file.bands * Self.sampleBytes(file.sampleFormat) else {
                throw PixelError("tiff2vips: unsupported tiff image type")
            }
        }
        // Every unpacking below reads this much of a row; a row libtiff says is shorter is refused.
        let spp = Int(file.info.samplesPerPixel), bps = Int(file.info.bitsPerSample)
        let needed: Int
        switch file.reader {
        case .bits(let n): needed = (file.width * n + 7) / 8
        case .palette: needed = (file.width * spp * bps + 7) / 8
        default: needed = file.width * file.bands * Self.sampleBytes(file.sampleFormat)
        }
        guard rawRowBytes >= needed else { throw PixelError("tiff2vips: unsupported tiff image type") }
        raw = [UInt8](repeating: 0, count: rawRowBytes)
        format = RowFormat(
            width: file.width, height: file.height, bands: file.bands, sixteenBit: sixteen, interpretation: interpretation)
        if case .palette = file.reader, let r = file.info.colorMap.0, let g = file.info.colorMap.1, let b = file.info.colorMap.2 {
            // Old-style 8-bit colour maps: every top byte zero (tiff2vips.c, libvips issue 220).
            let n = 1 << Int(file.info.bitsPerSample)
            let wide = (0..<n).contains { (r[$0] >> 8) | (g[$0] >> 8) | (b[$0] >> 8) != 0 }
            func eight(_ v: UInt16) -> UInt8 { wide ? UInt8(v >> 8) : UInt8(v & 0xFF) }
            red8 = (0..<n).map { eight(r[$0]) }
            green8 = (0..<n).map { eight(g[$0]) }
            blue8 = (0..<n).map { eight(b[$0]) }
        }
    }

    static func sampleBytes(_ format: TIFFFormat.SampleFormat) -> Int {
        switch format {
        case .uchar, .char: return 1
        case .ushort, .short: return 2
        case .uint, .int, .float: return 4
        case .double: return 8
        }
    }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        guard let base = buffer.baseAddress, buffer.count >= count * format.rowBytes else {
            throw PixelError("tiff2vips: row buffer too small")
        }
        var done = 0
        while done < count {
            let got = raw.withUnsafeMutableBufferPointer { r in
                CImageShims_TIFFReadRows(file.handle, r.baseAddress!, r.count, 1, rawRowBytes)
            }
            if got == 0 { break }
            guard got == 1 else { throw Self.error(file) }
            raw.withUnsafeBytes { r in convert(r.baseAddress!, into: base + done * format.rowBytes) }
            done += 1
        }
        return done
    }

    /// The error libtiff or the temporary file reported (the latter fails the whole file).
    private static func error(_ file: TIFFFormat) -> PixelError {
        .shim(CImageShims_TIFFStatus(file.handle), String(cString: CImageShims_TIFFMessage(file.handle)),
              prefix: "tiff2vips: ", seconds: 0, maxScans: 0)
    }

    /// One raw row → one pipeline row.
    private func convert(_ p: UnsafeRawPointer, into q: UnsafeMutableRawPointer) {
        let w = format.width
        let out8 = q.assumingMemoryBound(to: UInt8.self)
        let out16 = q.assumingMemoryBound(to: UInt16.self)
        switch file.reader {
        case .bits(let bps):
            Self.expandBits(p.assumingMemoryBound(to: UInt8.self), bps, w, invert: photometric != 1, into: out8)
            return
        case .palette(let mono):
            mapPalette(p, mono: mono, into: q)
            return
        default:
            break
        }
        let n = w * file.bands
        let invert = file.reader == .greyscale && photometric == 0  // MINISWHITE, unsigned only
        switch loaded {
        case .uchar:
            out8.update(from: p.assumingMemoryBound(to: UInt8.self), count: n)
            if invert { for x in 0..<w { out8[x * file.bands] = 255 &- out8[x * file.bands] } }
        case .ushort:
            out16.update(from: p.assumingMemoryBound(to: UInt16.self), count: n)
            if invert { for x in 0..<w { out16[x * file.bands] = 65535 &- out16[x * file.bands] } }
        case .short:  // GREY16 from signed samples: clipped to ushort; sRGB: clipped to uchar
            let s = p.assumingMemoryBound(to: Int16.self)
            if format.sixteenBit {
                for i in 0..<n { out16[i] = UInt16(max(0, s[i])) }
            } else {
                for i in 0..<n { out8[i] = UInt8(min(255, max(0, s[i]))) }
            }
        case .char:
            let s = p.assumingMemoryBound(to: Int8.self)
            for i in 0..<n { out8[i] = UInt8(max(0, s[i])) }
        case .uint:
            let s = p.assumingMemoryBound(to: UInt32.self)
            for i in 0..<n { out8[i] = UInt8(min(255, s[i])) }
        case .int:
            let s = p.assumingMemoryBound(to: Int32.self)
            for i in 0..<n { out8[i] = UInt8(min(255, max(0, s[i]))) }
        case .float:  // clip, then truncate
            let s = p.assumingMemoryBound(to: Float.self)
            for i in 0..<n {
                let v = s[i]
                out8[i] = v.isNaN ? 0 : UInt8(min(255, max(0, v)).rounded(.towardZero))
            }
        case .double:
            for i in 0..<n { out8[i] = 0 }
        }
        if file.info.alphaBand >= 0 && (loaded == .uchar || loaded == .ushort) {
            unpremultiply(q)
        }
    }

    /// `rtiff_N_bit_line`: each 1/2/4-bit sample spread over a byte; MINISWHITE flips the bits.
    static func expandBits(_ p: UnsafePointer<UInt8>, _ bps: Int, _ n: Int, invert: Bool, into q: UnsafeMutablePointer<UInt8>) {
        let mask: UInt8 = invert ? 0xFF : 0
        let load = 8 / bps - 1
        var bits: UInt8 = 0
        var i = 0
        for x in 0..<n {
            if x & load == 0 {
                bits = p[i] ^ mask
                i += 1
            }
            switch bps {
            case 1: q[x] = bits & 0x80 != 0 ? 255 : 0
            case 2:
                let two = bits >> 6
                let four = two | (two << 2)
                q[x] = four | (four << 4)
            default: q[x] = (bits & 0xF0) | (bits >> 4)
            }
            bits = bits << UInt8(bps)
        }
    }

    /// `rtiff_palette_line_bit` / `line8` / `line16`: the first sample through the map, the others
    /// copied (left-justified below 8 bits).
    private func mapPalette(_ p: UnsafeRawPointer, mono: Bool, into q: UnsafeMutableRawPointer) {
        let spp = Int(file.info.samplesPerPixel)
        let bps = Int(file.info.bitsPerSample)
        let w = format.width
        let colours = mono ? 1 : 3
        let outBands = format.bands
        if bps == 16 {
            let s = p.assumingMemoryBound(to: UInt16.self)
            let o = q.assumingMemoryBound(to: UInt16.self)
            let maps = [file.info.colorMap.0!, file.info.colorMap.1!, file.info.colorMap.2!]
            for x in 0..<w {
                let i = Int(s[x * spp])
                for c in 0..<colours { o[x * outBands + c] = maps[c][i] }
                for e in 1..<max(1, spp) { o[x * outBands + colours + e - 1] = s[x * spp + e] }
            }
            return
        }
        let s = p.assumingMemoryBound(to: UInt8.self)
        let o = q.assumingMemoryBound(to: UInt8.self)
        func put(_ x: Int, _ i: Int) {
            o[x * outBands] = red8[i]
            if !mono {
                o[x * outBands + 1] = green8[i]
                o[x * outBands + 2] = blue8[i]
            }
        }
        if bps == 8 {
            for x in 0..<w {
                put(x, Int(s[x * spp]))
                for e in 1..<max(1, spp) { o[x * outBands + colours + e - 1] = s[x * spp + e] }
            }
            return
        }
        var bit = 0
        var data: UInt8 = 0
        var byte = 0
        for k in 0..<(w * spp) {
            if bit <= 0 {
                data = s[byte]
                byte += 1
                bit = 8
            }
            let i = Int(data >> UInt8(8 - bps))
            data = data << UInt8(bps)
            bit -= bps
            let x = k / spp
            let e = k % spp
            if e == 0 {
                put(x, i)
            } else {
                o[x * outBands + colours + e - 1] = UInt8(truncatingIfNeeded: i << (8 - bps))
            }
        }
    }

    /// `rtiff_unpremultiply`: `vips_unpremultiply` (float factor `max_alpha / alpha`) then a cast
    /// back to the sample format, which truncates.
    private func unpremultiply(_ q: UnsafeMutableRawPointer) {
        let bands = format.bands
        let alphaBand = bands == 4 ? 3 : Int(file.info.alphaBand)
        guard alphaBand < bands else { return }
        let sixteen = loaded == .ushort
        let maxAlpha: Double = (file.interpretation == .rgb16 || file.interpretation == .grey16) ? 65535 : 255
        let top: Float = sixteen ? 65535 : 255
        for x in 0..<format.width {
            func get(_ b: Int) -> Float {
                sixteen ? Float(q.assumingMemoryBound(to: UInt16.self)[x * bands + b])
                    : Float(q.assumingMemoryBound(to: UInt8.self)[x * bands + b])
            }
            func set(_ b: Int, _ v: Float) {
                let c = min(max(v, 0), top).rounded(.towardZero)
                if sixteen { q.assumingMemoryBound(to: UInt16.self)[x * bands + b] = UInt16(c) }
                else { q.assumingMemoryBound(to: UInt8.self)[x * bands + b] = UInt8(c) }
            }
            let alpha = get(alphaBand)
            if alpha == 0 {
                for b in 0...alphaBand { set(b, 0) }
                continue
            }
            let factor = Float(maxAlpha / Double(alpha))
            for b in 0..<alphaBand { set(b, factor * get(b)) }
        }
    }
}
