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

    static func field(_ reader: any FormatReader, options: ReadOptions) throws(MetadataError) -> Field {
        if options.pHash == .none { return Field(value: nil, diagnostics: []) }
        try checkPixelLimit(width: reader.header.width, height: reader.header.height, options.limits)
        // The file's deadline, started when its read began (`Limits.seconds` bounds the whole read).
        let deadline = reader.deadline
        return try outcome { () throws(PixelError) in try pixels(reader, mode: options.pHash, deadline) }
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

    /// The 32×32 grey pixels: the format's load checks, its decoder, then the pipeline.
    static func pixels(_ reader: any FormatReader, mode: ReadOptions.PHashMode = .exact, _ deadline: Deadline = Deadline(Limits()))
        throws(PixelError) -> Plane<UInt8>
    {
        try reader.checkLoad()
        let image = try reader.makeDecoder(DecodeRequest(mode: mode, inMemoryBytes: deadline.inMemoryImageBytes, deadline: deadline))
        let input = PixelPipeline.Input(
            decoder: image.decoder, profile: image.profile, orientation: reader.orientation, demand: image.demand,
            deadline: deadline.instant, seconds: deadline.seconds)
        return try PixelPipeline.pixels(input)
    }

    /// `Limits.pixels` (default: sharp's `limitInputPixels`, libvips-pipeline.md §15.1), on the true
    /// product of the sides.
    static func checkPixelLimit(width: Int, height: Int, _ limits: Limits) throws(MetadataError) {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > limits.pixels {
            throw MetadataError.overLimit(what: "pixel count", value: overflow ? Int.max : pixels, limit: limits.pixels)
        }
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
