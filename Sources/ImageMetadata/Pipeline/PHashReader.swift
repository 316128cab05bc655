import PerceptualHash

/// The `pHash` field (SPEC §4): opens the pixels the way sharp 0.26 does, runs `PixelPipeline`, and
/// hashes the 32×32 result with `PerceptualHash`. Where sharp 0.26 refuses the pixels (pixel limit,
/// libjpeg warnings, decoder errors, cases libvips 8.10 cannot convert) the field is left out and the
/// reason becomes a diagnostic; the rest of the object is still returned (SPEC §5).
enum PHashReader {
    /// The field's value (nil leaves the key out) and why it is missing.
    struct Field {
        var value: String?
        var diagnostics: [Diagnostic]
    }

    static func jpeg(_ source: ByteSource, _ header: JPEGHeader, mode: ReadOptions.PHashMode) -> Field {
        if mode == .none { return Field(value: nil, diagnostics: []) }
        return outcome { () throws(PixelError) in try jpegPixels(source, header, mode: mode) }
    }

    static func png(_ source: ByteSource, _ header: PNGHeader, mode: ReadOptions.PHashMode) -> Field {
        if mode == .none { return Field(value: nil, diagnostics: []) }
        return outcome { () throws(PixelError) in try pngPixels(source, header) }
    }

    /// The 32×32 grey pixels of a JPEG (libvips-pipeline.md §1, §15.2, §16).
    static func jpegPixels(_ source: ByteSource, _ header: JPEGHeader, mode: ReadOptions.PHashMode)
        throws(PixelError) -> Plane<UInt8>
    {
        try checkPixelLimit(width: header.width, height: header.height)
        var scale = sharpShrinkOnLoad(width: header.width, height: header.height)
        if mode == .fast { scale = max(scale, fastScale(width: header.width, height: header.height)) }
        let decoder = try JPEGRowDecoder(source, scale: scale)
        let input = PixelPipeline.Input(
            decoder: decoder, profile: libvipsICCProfile(header), orientation: ExifOrientation.jpeg(header), jpeg: true)
        return try PixelPipeline.pixels(input)
    }

    /// The 32×32 grey pixels of a PNG (§15.3; PNG never carries an orientation for libvips 8.10, §16).
    static func pngPixels(_ source: ByteSource, _ header: PNGHeader) throws(PixelError) -> Plane<UInt8> {
        try PNGLoadChecks.check(source)
        try checkPixelLimit(width: header.width, height: header.height)
        let decoder = try PNGRowDecoder(source)
        let input = PixelPipeline.Input(decoder: decoder, profile: decoder.iccProfile, orientation: 1, jpeg: false)
        return try PixelPipeline.pixels(input)
    }

    /// Fast mode (SPEC §4): the largest libjpeg DCT scale 1/2–1/8 that keeps both sides ≥ 256 px.
    static func fastScale(width: Int, height: Int) -> Int {
        for k in [8, 4, 2] where (width + k - 1) / k >= 256 && (height + k - 1) / k >= 256 { return k }
        return 1
    }

    static func checkPixelLimit(width: Int, height: Int) throws(PixelError) {
        if sharpExceedsPixelLimit(width: width, height: height) {
            throw PixelError("Input image exceeds pixel limit")
        }
    }

    /// The ICC profile as libvips 8.10's JPEG loader assembles it: APP2 chunk n (1–100) in slot n,
    /// a later chunk with the same number replacing an earlier one, slots joined from the first up to
    /// the first empty one; the chunk counts are not checked.
    static func libvipsICCProfile(_ header: JPEGHeader) -> [UInt8]? {
        var slots = [[UInt8]?](repeating: nil, count: 100)
        for chunk in header.iccChunks where chunk.sequence >= 1 && chunk.sequence <= 100 && !chunk.data.isEmpty {
            slots[chunk.sequence - 1] = chunk.data
        }
        var profile: [UInt8] = []
        for slot in slots {
            guard let slot else { break }
            profile += slot
        }
        return profile.isEmpty ? nil : profile
    }

    private static func outcome(_ body: () throws(PixelError) -> Plane<UInt8>) -> Field {
        do {
            let pixels = try body()
            let hash = PerceptualHash.hash(pixels: pixels.samples.map(Double.init), variant: .imagekit)
            return Field(value: hash.description, diagnostics: [])
        } catch {
            return Field(value: nil, diagnostics: [Diagnostic(.decoder, "no pHash: \(error.message)")])
        }
    }
}
