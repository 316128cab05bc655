/// One 12-byte IFD entry of the raw TIFF index. Fields read past the end of the file are nil
/// (node-exif sees NaN there). Offsets are from the TIFF header.
struct IndexedEntry {
    var ifd: ExifIFD
    var entryOffset: Int
    var tag: Int?
    var type: Int?
    var count: Int?
    /// The last 4 bytes of the entry read as a LONG: the value offset when the value does not fit.
    var pointerField: Int?
    /// All 12 bytes lie inside the file.
    var isComplete: Bool
}

/// One IFD table as node-exif reads it (imagekit-spec §2.3 steps 4–8).
struct IndexedTable {
    var ifd: ExifIFD
    /// Offset of the table's count field from the TIFF header; nil for a NaN offset.
    var offset: Int?
    /// The 16-bit entry count as stored.
    var storedCount: Int?
    /// The count after node-exif's cap, which also places the next-IFD pointer.
    var readCount: Int?
    var entries: [IndexedEntry]
}

/// The small raw index of the TIFF structure: at most five tables (IFD0, IFD1, Exif, GPS,
/// Interop), reached the way node-exif reaches them, so it needs no recursion and cannot loop.
/// A table that repeats another one's offset is read again, as node-exif does, and reported.
struct TIFFIndex {
    let buffer: NodeBuffer
    /// File offset of the TIFF header.
    let tiff: Int
    let bigEndian: Bool
    var diagnostics: DiagnosticLog
    /// Entries still allowed by `Limits.exifEntries`.
    var entryBudget: Int
    private var seen: [Int: ExifIFD] = [:]

    init(buffer: NodeBuffer, tiff: Int, bigEndian: Bool, diagnostics: DiagnosticLog, entryLimit: Int) {
        self.buffer = buffer
        self.tiff = tiff
        self.bigEndian = bigEndian
        self.diagnostics = diagnostics
        self.entryBudget = entryLimit
    }

    /// Reads the table of `ifd` at `offset` (from the TIFF header), keeping at most `cap` entries.
    mutating func table(_ ifd: ExifIFD, at offset: Int?, cap: Int?) -> IndexedTable {
        let file = offset.map { tiff + $0 }
        let stored = JSBytes.integer(buffer.short(file, bigEndian: bigEndian))
        var readCount = stored
        if let cap, let n = readCount { readCount = min(n, cap) }
        var result = IndexedTable(ifd: ifd, offset: offset, storedCount: stored, readCount: readCount, entries: [])
        guard let offset, let file, let n = readCount else {
            diagnostics.add(offset, "\(ifd) lies outside the file; it is empty")
            return result
        }
        if let first = seen[offset] {
            diagnostics.add(
                offset, "\(ifd) points at the table already read as \(first) (a loop); it is read once more")
        } else {
            seen[offset] = ifd
        }
        if let stored, let cap, stored > cap {
            diagnostics.add(offset, "\(ifd) lists \(stored) entries; only the first \(cap) are read")
        }
        var wanted = n
        if wanted > entryBudget {
            diagnostics.add(
                offset, "\(ifd) lists \(n) entries, over the limit of EXIF entries per file; \(entryBudget) are read")
            wanted = entryBudget
        }
        entryBudget -= wanted
        let tableBytes = buffer.bytes(file + 2, 12 * wanted)
        if tableBytes.count < 12 * wanted {
            diagnostics.add(offset, "\(ifd) lists \(n) entries but the file ends after \(tableBytes.count / 12)")
        }
        result.entries.reserveCapacity(wanted)
        for i in 0..<wanted {
            let at = 12 * i
            func field(_ k: Int, _ size: Int) -> Int? {
                let raw = (0..<size).map { at + k + $0 < tableBytes.count ? tableBytes[at + k + $0] : nil }
                return JSBytes.integer(JSBytes.unsigned(JSBytes.ordered(raw, bigEndian: bigEndian)))
            }
            result.entries.append(
                IndexedEntry(
                    ifd: ifd, entryOffset: offset + 2 + at, tag: field(0, 2), type: field(2, 2),
                    count: field(4, 4), pointerField: field(8, 4), isComplete: at + 12 <= tableBytes.count))
        }
        return result
    }

    /// The next-IFD pointer after the first `readCount` entries (node-exif places it after the
    /// capped count, imagekit-spec §2.3 step 5). nil when it is NaN.
    func nextPointer(after table: IndexedTable) -> Int? {
        guard let offset = table.offset, let n = table.readCount else { return nil }
        return JSBytes.integer(buffer.long(tiff + offset + 2 + 12 * n, bigEndian: bigEndian))
    }
}

/// Diagnostics of one EXIF parse, with a cap so a hostile table cannot flood stderr.
struct DiagnosticLog {
    private(set) var items: [Diagnostic] = []
    private var suppressed = 0
    static let limit = 20

    mutating func add(_ tiffOffset: Int?, _ message: String) {
        guard items.count < Self.limit else {
            suppressed += 1
            return
        }
        items.append(tiffOffset.map { Diagnostic(.exif(offset: $0), message) } ?? Diagnostic(.file, "EXIF: " + message))
    }

    var all: [Diagnostic] {
        guard suppressed > 0 else { return items }
        return items + [Diagnostic(.file, "EXIF: \(suppressed) more problems not listed")]
    }
}
