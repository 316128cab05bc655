import PerceptualHash

/// The `pHash` field (SPEC §4): opens the pixels the way sharp 0.26 does, runs `PixelPipeline`, and
/// hashes the 32×32 result with `PerceptualHash`. Where sharp 0.26 refuses the pixels (pixel limit,
/// libjpeg warnings, decoder errors, cases libvips 8.10 cannot convert) the field is left out and the
/// reason becomes a diagnostic; the rest of the object is still returned (SPEC §5). An image over
/// `Limits.pixels` or a decode past `Limits.seconds` is an error for the whole file instead.
enum PHashReader {
    /// The field's value (nil leaves the key out) and why it is missing.
    struct Field {
        var value: PHash?
        var diagnostics: [Diagnostic]
    }

    static func jpeg(_ source: ByteSource, _ header: JPEGHeader, options: ReadOptions) throws(MetadataError) -> Field {
        if options.pHash == .none { return Field(value: nil, diagnostics: []) }
        try checkPixelLimit(width: header.width, height: header.height, options.limits)
        let limits = Deadline(options.limits)
        return try outcome { () throws(PixelError) in try jpegPixels(source, header, mode: options.pHash, limits) }
    }

    static func png(_ source: ByteSource, _ header: PNGHeader, options: ReadOptions) throws(MetadataError) -> Field {
        if options.pHash == .none { return Field(value: nil, diagnostics: []) }
        try checkPixelLimit(width: header.width, height: header.height, options.limits)
        let limits = Deadline(options.limits)
        return try outcome { () throws(PixelError) in try pngPixels(source, header, limits) }
    }

    /// When a decode that starts now must end, and how much of a whole image it may hold in memory.
    struct Deadline {
        var instant: ContinuousClock.Instant
        var seconds: Double
        var inMemoryImageBytes: Int
        var metadataBytes: Int
        var jpegScans: Int
        init(_ limits: Limits) {
            seconds = limits.seconds
            instant = ContinuousClock.now + .milliseconds(Int64(min(limits.seconds, 1e9) * 1000))
            inMemoryImageBytes = limits.inMemoryImageBytes
            metadataBytes = limits.metadataBytes
            jpegScans = limits.jpegScans
        }

        /// Seconds left before `instant` (0 once it passed), for the C decoders' own clocks.
        var remainingSeconds: Double {
            let left = instant - ContinuousClock.now
            return max(0, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18)
        }

        var expired: Bool { ContinuousClock.now > instant }

        func check() throws(PixelError) {
            if expired { throw PixelError.timeLimit(seconds) }
        }
    }

    /// The 32×32 grey pixels of a JPEG (libvips-pipeline.md §1, §15.2, §16).
    static func jpegPixels(_ source: ByteSource, _ header: JPEGHeader, mode: ReadOptions.PHashMode, _ deadline: Deadline)
        throws(PixelError) -> Plane<UInt8>
    {
        var scale = sharpShrinkOnLoad(width: header.width, height: header.height)
        if mode == .fast { scale = max(scale, fastScale(width: header.width, height: header.height)) }
        let decoder = try JPEGRowDecoder(source, scale: scale, inMemoryBytes: deadline.inMemoryImageBytes, deadline: deadline)
        let input = PixelPipeline.Input(
            decoder: decoder, profile: libvipsICCProfile(header), orientation: ExifOrientation.jpeg(header), jpeg: true,
            deadline: deadline.instant, seconds: deadline.seconds)
        return try PixelPipeline.pixels(input)
    }

    /// The 32×32 grey pixels of a PNG (§15.3; PNG never carries an orientation for libvips 8.10, §16).
    static func pngPixels(_ source: ByteSource, _ header: PNGHeader, _ deadline: Deadline = Deadline(Limits())) throws(PixelError) -> Plane<UInt8> {
        try PNGLoadChecks.check(source, deadline)
        let decoder = try PNGRowDecoder(source, inMemoryBytes: deadline.inMemoryImageBytes, deadline: deadline)
        let input = PixelPipeline.Input(
            decoder: decoder, profile: decoder.iccProfile, orientation: 1, jpeg: false,
            deadline: deadline.instant, seconds: deadline.seconds)
        return try PixelPipeline.pixels(input)
    }

    /// Fast mode (SPEC §4): the largest libjpeg DCT scale 1/2–1/8 that keeps both sides ≥ 256 px.
    static func fastScale(width: Int, height: Int) -> Int {
        for k in [8, 4, 2] where (width + k - 1) / k >= 256 && (height + k - 1) / k >= 256 { return k }
        return 1
    }

    /// `Limits.pixels` (default: sharp's `limitInputPixels`, libvips-pipeline.md §15.1), on the true
    /// product of the sides.
    static func checkPixelLimit(width: Int, height: Int, _ limits: Limits) throws(MetadataError) {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > limits.pixels {
            throw MetadataError.overLimit(what: "pixel count", value: overflow ? Int.max : pixels, limit: limits.pixels)
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

    private static func outcome(_ body: () throws(PixelError) -> Plane<UInt8>) throws(MetadataError) -> Field {
        do {
            let pixels = try body()
            let hash = PerceptualHash.hash(pixels: pixels.samples.map(Double.init), variant: .imagekit)
            return Field(value: hash, diagnostics: [])
        } catch {
            if let seconds = error.timeLimit { throw MetadataError.timeLimit(seconds: seconds) }
            if let fileError = error.fileError { throw fileError }
            return Field(value: nil, diagnostics: [Diagnostic(.decoder, "no pHash: \(error.message)")])
        }
    }
}
