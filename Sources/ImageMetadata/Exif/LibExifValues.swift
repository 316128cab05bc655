/// libexif as the source of entry values (SPEC §3; libexif-behaviour §8 step 3).
///
/// libexif reads at most 65,534 bytes from the `Exif` header, consumes the pointer tags, drops
/// count-0, unknown-type and out-of-buffer entries and the second copy of a tag, and follows the
/// first pointer of each kind it meets. So for each IFD node-exif reads, the entries libexif
/// should hold are predicted from the raw table with those rules; when libexif's IFD starts with
/// exactly those (tag, type, count) triples, it was loaded from the same table, and the value
/// bytes of those entries are taken from libexif. Every other entry is read from the raw bytes.
struct LibExifValues {
    private let exif: LibExifData
    /// Size of the TIFF data libexif saw (its buffer minus the 6-byte `Exif\0\0`).
    private let size: Int

    /// Loads `data` (the TIFF block from its header, at most `LibExifGuard.bufferLimit` bytes)
    /// into libexif with `EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS` and
    /// `EXIF_DATA_OPTION_FOLLOW_SPECIFICATION` cleared. nil when libexif cannot or should not read it.
    init?(_ data: [UInt8]) {
        guard let exif = LibExifData(tiff: data, followSpecification: false, ignoreUnknownTags: false) else {
            return nil
        }
        self.exif = exif
        self.size = data.count
    }

    /// The entries libexif consumes instead of storing (libexif-behaviour §1).
    static let consumedTags: Set<Int> = [0x8769, 0x8825, 0xA005, 0x0201, 0x0202]

    /// For the raw table of `ifd` (entries in file order, TIFF-relative offsets), the value bytes
    /// libexif holds, keyed by the entry's index in `table`.
    func values(for ifd: ExifIFD, table: [IndexedEntry], tableOffset: Int?, storedCount: Int?) -> [Int: [UInt8]] {
        let predicted = predict(table: table, tableOffset: tableOffset, storedCount: storedCount)
        guard !predicted.isEmpty else { return [:] }
        let loaded = exif.entries(in: Self.libexifIFD(ifd))
        guard loaded.count >= predicted.count else { return [:] }
        var out: [Int: [UInt8]] = [:]
        for (k, index) in predicted.enumerated() {
            let raw = table[index]
            let entry = loaded[k]
            guard Int(entry.tag) == raw.tag, entry.format == raw.type, entry.components == raw.count else {
                return [:]  // libexif read another table for this IFD
            }
            out[index] = entry.data
        }
        return out
    }

    /// Indexes into `table` of the entries libexif keeps, in order (libexif 0.6.24
    /// `exif_data_load_data_content` / `exif_data_load_data_entry`).
    private func predict(table: [IndexedEntry], tableOffset: Int?, storedCount: Int?) -> [Int] {
        guard let start = tableOffset, let stored = storedCount, start >= 0, start + 2 <= size else { return [] }
        // A table running past the buffer is cut to the entries that fit ("Short data").
        var n = stored
        if start + 2 + 12 * n > size { n = (size - start - 2) / 12 }
        var kept: [Int] = []
        var tags = Set<Int>()
        for (index, entry) in table.prefix(n).enumerated() {
            guard let tag = entry.tag, let type = entry.type, let count = entry.count else { break }
            if Self.consumedTags.contains(tag) {
                // A pointer at or past the buffer end abandons the rest of the IFD.
                guard let pointer = entry.pointerField, pointer < size else { break }
                continue
            }
            let total = UInt32(truncatingIfNeeded: ExifType.size(code: type) &* count)
            guard total != 0, Int(total) >= count else { continue }
            let valueStart: Int
            if total > 4 {
                guard let pointer = entry.pointerField else { continue }
                valueStart = pointer
            } else {
                valueStart = entry.entryOffset + 8
            }
            guard valueStart < size, Int(total) <= size - valueStart else { continue }
            guard tags.insert(tag).inserted else { continue }  // "attempt to add … twice"
            kept.append(index)
        }
        return kept
    }

    static func libexifIFD(_ ifd: ExifIFD) -> LibExifData.IFD {
        switch ifd {
        case .image: return .zero
        case .thumbnail: return .one
        case .exif: return .exif
        case .gps: return .gps
        case .interoperability: return .interoperability
        }
    }
}
