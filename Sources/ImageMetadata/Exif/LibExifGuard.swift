#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides whether libexif may load a TIFF block. libexif 0.6.24 bounds its buffer (64 KiB) but
/// not the bytes it copies: entries that all point at the same large value are each copied, so a
/// 64 KiB block can make it allocate hundreds of megabytes, and loops between sub-IFDs recurse
/// until its cost limit. This replays libexif's walk (`exif_data_load_data`,
/// `exif_data_load_data_content`, `exif_data_load_data_entry`) counting entries and bytes, and
/// gives up past the limits; the MakerNote parsers read one table each, bounded below by the
/// costliest table anywhere in the block.
struct LibExifGuard {
    static let maxCopiedBytes = 4 << 20
    static let maxEntries = 100_000
    /// The TIFF bytes libexif looks at: its 0xFFFE-byte buffer minus `Exif\0\0`.
    static let bufferLimit = 0xFFFE - 6

    private let d: [UInt8]
    private let bigEndian: Bool
    private var copied = 0
    private var visited = 0
    private var counts = [Int](repeating: 0, count: 5)
    private var tags = [Set<Int>](repeating: [], count: 5)
    /// libexif parses the first MakerNote it holds with a vendor parser.
    private var hasMakerNote = false

    /// `tiff`: the bytes libexif sees after `Exif\0\0`.
    static func allows(_ tiff: [UInt8], bigEndian: Bool) -> Bool {
        var walk = LibExifGuard(d: tiff, bigEndian: bigEndian)
        guard walk.loadAll() else { return false }
        guard walk.hasMakerNote else { return walk.copied <= maxCopiedBytes }
        return walk.copied + costliestTable(tiff) <= maxCopiedBytes
    }

    private init(d: [UInt8], bigEndian: Bool) {
        self.d = d
        self.bigEndian = bigEndian
    }

    private func u16(_ at: Int) -> Int {
        bigEndian ? Int(d[at]) << 8 | Int(d[at + 1]) : Int(d[at + 1]) << 8 | Int(d[at])
    }

    private func u32(_ at: Int) -> Int { readU32(d, at, bigEndian) }

    /// IFD0, then IFD1 at the pointer after IFD0's full table. false when over a limit.
    private mutating func loadAll() -> Bool {
        let size = d.count
        guard size >= 8 else { return true }
        let ifd0 = u32(4)
        guard ifd0 + 2 <= size else { return true }
        guard load(ifd: 0, at: ifd0, cost: 0) else { return false }
        let n = u16(ifd0)
        guard ifd0 + 2 + 12 * n + 4 <= size else { return true }
        let ifd1 = u32(ifd0 + 2 + 12 * n)
        guard ifd1 != 0, ifd1 <= size else { return true }
        return load(ifd: 1, at: ifd1, cost: 0)
    }

    /// One table into libexif's IFD `ifd` (0 IFD0, 1 IFD1, 2 Exif, 3 GPS, 4 Interop).
    private mutating func load(ifd: Int, at offset: Int, cost: Int) -> Bool {
        let size = d.count
        guard cost <= 170, offset + 2 <= size else { return true }
        var n = u16(offset)
        let start = offset + 2
        if start + 12 * n > size { n = (size - start) / 12 }
        var thumbnail = (offset: 0, length: 0)
        for i in 0..<n {
            visited += 1
            guard visited <= Self.maxEntries, copied <= Self.maxCopiedBytes else { return false }
            let e = start + 12 * i
            let tag = u16(e)
            let target: Int
            switch tag {
            case 0x8769: target = 2
            case 0x8825: target = 3
            case 0xA005: target = 4
            case 0x0201, 0x0202:
                let o = u32(e + 8)
                guard o < size else { return true }  // the rest of the IFD is abandoned
                if tag == 0x0201 { thumbnail.offset = o } else { thumbnail.length = o }
                if thumbnail.offset > 0, thumbnail.length > 0, thumbnail.length <= size - thumbnail.offset {
                    copied += thumbnail.length
                }
                continue
            default:
                let components = u32(e + 4)
                let total = Int(UInt32(truncatingIfNeeded: ExifType.size(code: u16(e + 2)) &* components))
                guard total != 0, total >= components else { continue }
                let value = total > 4 ? u32(e + 8) : e + 8
                guard value < size, total <= size - value else { continue }
                copied += total
                if tags[ifd].insert(tag).inserted { counts[ifd] += 1 }
                if tag == 0x927C { hasMakerNote = true }
                continue
            }
            let o = u32(e + 8)
            guard o < size else { return true }
            if target == ifd || counts[target] > 0 { continue }
            let level = Int((log(Double(n) + 0.1) / log(1.1)).rounded(.up))
            guard load(ifd: target, at: o, cost: cost + level) else { return false }
        }
        return true
    }

    /// An upper bound on what any single table in the block could make a MakerNote parser copy
    /// (entries over 64 KiB are skipped by those parsers), over every start offset and both byte
    /// orders. A table's entries lie 12 bytes apart, so its cost is at most the sum over all entry
    /// positions with the same remainder modulo 12; that sum is one linear pass, and records whose
    /// type is not an EXIF type (almost all bytes of a thumbnail) cost nothing.
    static func costliestTable(_ d: [UInt8]) -> Int {
        let size = d.count
        guard size >= 14 else { return 0 }
        // sums[r] (little-endian) and sums[12 + r] (big-endian): records starting at p ≡ r (mod 12).
        var sums = (0..<24).map { _ in 0 }
        d.withUnsafeBufferPointer { b in
            sums.withUnsafeMutableBufferPointer { sums in
                let base = b.baseAddress!
                let last = size - 12  // the last record start
                func add(_ p: Int, type: UInt8, count: Int, _ slot: Int) {
                    let total = Int(UInt32(truncatingIfNeeded: ExifType.size(code: Int(type)) &* count))
                    if total <= 65536 && total <= size { sums[slot + p % 12] &+= total }
                }
                // The type is a 16-bit number 1–12, so one of its two bytes is 0: visit the zero bytes
                // (memchr skips the rest quickly) as the high byte of a little- or big-endian type.
                var z = 2
                while z < size, let hit = memchr(base + z, 0, size - z) {
                    z = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    defer { z += 1 }
                    let c = { (k: Int) in Int(b[k]) }
                    if z >= 3, z - 3 <= last, b[z - 1] >= 1, b[z - 1] <= 12 {
                        let p = z - 3
                        add(p, type: b[z - 1], count: c(p + 7) << 24 | c(p + 6) << 16 | c(p + 5) << 8 | c(p + 4), 0)
                    }
                    if z - 2 <= last, b[z + 1] >= 1, b[z + 1] <= 12 {
                        let p = z - 2
                        add(p, type: b[z + 1], count: c(p + 4) << 24 | c(p + 5) << 16 | c(p + 6) << 8 | c(p + 7), 12)
                    }
                }
            }
        }
        return sums.max() ?? 0
    }
}

private func readU32(_ d: [UInt8], _ at: Int, _ bigEndian: Bool) -> Int {
    let b0 = Int(d[at]), b1 = Int(d[at + 1]), b2 = Int(d[at + 2]), b3 = Int(d[at + 3])
    return bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
}
