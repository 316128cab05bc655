/// Finds the TIFF block node-exif 0.6.0 would parse (SPEC §3, imagekit-spec §2.3 steps 1–3):
/// the file must start FF D8; markers are walked from byte 2, each skipped by its length, until
/// the first APP1, which must start `Exif\0\0` and a TIFF header. Any other outcome is `{}`.
///
/// The JPEG segment reader takes the same steps over ordinary segments, so it records how far this
/// walk goes with it (`JPEGHeader.nodeExifWalk`); the walk here goes on from there only in files
/// where the two part (fill bytes, stray bytes, markers without a length, no APP1 before the scan).
enum ExifLocator {
    /// Where the walk starts: at `offset` with `segments` already passed, or at a first APP1 found.
    enum Start: Equatable, Sendable {
        case walk(offset: Int, segments: Int)
        case app1(payload: Int)
    }

    static let fileStart = Start.walk(offset: 2, segments: 0)

    enum Outcome: Equatable {
        case found(tiff: Int, bigEndian: Bool)
        /// No EXIF for ImageKit; `damaged` explains a first APP1 that claims to be Exif but is not readable.
        case none(damaged: String?)
    }

    /// Marker segments walked before giving up; real files have a few dozen before their APP1.
    static let maxSegments = 100_000

    static func locate(_ buffer: NodeBuffer, from start: Start = fileStart) -> Outcome {
        guard buffer.byte(0) == 0xFF, buffer.byte(1) == 0xD8 else { return .none(damaged: nil) }
        var offset: Int?
        var segments: Int
        switch start {
        case .app1(let payload): return header(buffer, start: payload)
        case .walk(let at, let passed): (offset, segments) = (at, passed)
        }
        while let o = offset, o < buffer.count {
            guard buffer.byte(o) == 0xFF else { break }
            if buffer.byte(o + 1) == 0xE1 { return header(buffer, start: o + 4) }
            segments += 1
            if segments > maxSegments {
                return .none(damaged: "more than \(maxSegments) JPEG segments before any APP1")
            }
            // The length is read big-endian; past the end of the file it is NaN and the walk stops.
            offset = JSBytes.integer(buffer.short(o + 2, bigEndian: true)).map { o + 2 + $0 }
        }
        return .none(damaged: nil)
    }

    /// The APP1 payload at `start`: `Exif\0\0`, then `II`/`MM` and 0x002A.
    private static func header(_ buffer: NodeBuffer, start: Int) -> Outcome {
        guard buffer.bytes(start, 6) == JPEGSegmentReader.exifSignature else { return .none(damaged: nil) }
        let tiff = start + 6
        // node-exif reads the byte-order mark little-endian: 0x4949 is "II", 0x4D4D "MM".
        let bigEndian: Bool
        switch buffer.short(tiff, bigEndian: false) {
        case 0x4949: bigEndian = false
        case 0x4D4D: bigEndian = true
        default: return .none(damaged: "the Exif APP1 segment has no TIFF byte-order mark (II or MM)")
        }
        guard buffer.short(tiff + 2, bigEndian: bigEndian) == 0x2A else {
            return .none(damaged: "the TIFF header of the Exif APP1 segment lacks the 0x002A mark")
        }
        return .found(tiff: tiff, bigEndian: bigEndian)
    }
}
