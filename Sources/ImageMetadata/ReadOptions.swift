/// How much work a read does, and the limits that protect it from hostile files.
public struct ReadOptions: Sendable, Equatable {
    /// Whether and how the pixels are decoded for the pHash.
    public enum PHashMode: Sendable, Equatable {
        /// Full decode and libvips 8.10 arithmetic: ImageKit's hash (SPEC §4).
        case exact
        /// JPEGs decoded at 1/2–1/8 scale; may differ from ImageKit by a few bits (SPEC §4).
        case fast
        /// No pixels are decoded and the `pHash` key is left out.
        case none
    }

    /// How the pHash is computed, or `.none` for none.
    public var pHash: PHashMode
    /// The limits that protect a read from hostile files.
    public var limits: Limits

    /// Options for a read; the defaults compute ImageKit's exact pHash within the default limits.
    public init(pHash: PHashMode = .exact, limits: Limits = Limits()) {
        self.pHash = pHash
        self.limits = limits
    }
}

/// Upper bounds on what one file may make ikmeta do. A file over a limit gets an error
/// (`MetadataError.overLimit`); nothing is silently truncated.
public struct Limits: Sendable, Equatable {
    /// Largest file read, in bytes.
    public var fileSize: Int = 1 << 32
    /// Largest image decoded for the pHash, in pixels (sharp's default `limitInputPixels`).
    public var pixels: Int = 268_402_689
    /// Largest PNG ancillary chunk (iCCP, eXIf) read into memory, in bytes.
    public var chunkSize: Int = 16 << 20
    /// Most EXIF entries read from one file, over all its IFDs.
    public var exifEntries: Int = 65_536
    /// Deepest chain of EXIF IFDs followed (IFD0 → Exif → Interop is 3).
    public var ifdDepth: Int = 8
    /// Most frames of an animated image (GIF, WebP) walked for its header.
    public var frames: Int = 100_000
    /// Longest time one file may take, in seconds; checked while pixels are decoded.
    public var seconds: Double = 120
    /// Largest whole-image buffer kept in memory, in bytes. Most images stream row by row, but a
    /// progressive JPEG's DCT coefficients and an interlaced PNG's passes must be held whole until
    /// the last scan or pass; above this size they go to an unlinked file in `$TMPDIR` (or `/tmp`),
    /// which keeps one job under 64 MiB whatever the image size. A WebP file larger than this is
    /// copied to such a file before libwebp reads it. Not an error limit.
    public var inMemoryImageBytes: Int = 32 << 20
    /// Most metadata bytes one file may make ikmeta hold or inflate: the JPEG APP1/APP2 payloads
    /// it keeps (the first APP1, the first and last Exif APP1, the ICC chunks) and the PNG
    /// iCCP/zTXt/iTXt streams it inflates to check them.
    public var metadataBytes: Int = 64 << 20
    /// Most scans a progressive JPEG may have (libjpeg-turbo's advice for untrusted input).
    public var jpegScans: Int = 500

    /// The default limits.
    public init() {}
}
