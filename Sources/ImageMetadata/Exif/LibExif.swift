import CExif

/// One libexif `ExifData`, loaded from TIFF bytes and released when the value goes away.
/// No libexif name is used outside this file and `LibExifText.swift`.
final class LibExifData {
    /// The IFDs libexif knows, in its own numbering.
    enum IFD: Int, CaseIterable {
        case zero = 0, one, exif, gps, interoperability
    }

    struct Entry {
        var tag: UInt16
        var format: Int  // EXIF type code (1 BYTE … 12 DOUBLE)
        var components: Int
        var data: [UInt8]
    }

    let handle: UnsafeMutablePointer<ExifData>
    let bigEndian: Bool

    /// Loads TIFF data (what follows `Exif\0\0`). `followSpecification` and `ignoreUnknownTags`
    /// are libexif's options of those names; both off leaves the entries as the file has them.
    /// nil for a block libexif would spend too much memory or time on (`LibExifGuard`).
    init?(tiff: [UInt8], followSpecification: Bool, ignoreUnknownTags: Bool) {
        guard tiff.count >= 8, tiff.count < Int(UInt32.max) - 6,
            LibExifGuard.allows(Array(tiff.prefix(LibExifGuard.bufferLimit)), bigEndian: tiff[0] == 0x4D),
            let data = exif_data_new()
        else { return nil }
        handle = data
        if !followSpecification { exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION) }
        if !ignoreUnknownTags { exif_data_unset_option(data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS) }
        let framed = JPEGSegmentReader.exifSignature + tiff
        framed.withUnsafeBufferPointer { exif_data_load_data(data, $0.baseAddress, UInt32($0.count)) }
        bigEndian = exif_data_get_byte_order(data) == EXIF_BYTE_ORDER_MOTOROLA
    }

    deinit { exif_data_unref(handle) }

    /// The entries libexif keeps for one IFD, in its order.
    func entries(in ifd: IFD) -> [Entry] {
        guard let content = exif_data_get_content(handle, ifd) else { return [] }
        var out: [Entry] = []
        for i in 0..<Int(content.pointee.count) {
            guard let entry = content.pointee.entries[i] else { continue }
            out.append(makeEntry(entry.pointee))
        }
        return out
    }

    /// The first entry with `tag` in `ifd`.
    func entry(_ tag: UInt16, in ifd: IFD) -> Entry? {
        guard let content = exif_data_get_content(handle, ifd),
            let entry = exif_content_get_entry(content, CExif.ExifTag(rawValue: UInt32(tag)))
        else { return nil }
        return makeEntry(entry.pointee)
    }

    private func makeEntry(_ e: CExif.ExifEntry) -> Entry {
        let bytes = e.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(e.size))) } ?? []
        return Entry(
            tag: UInt16(e.tag.rawValue), format: Int(e.format.rawValue), components: Int(e.components), data: bytes)
    }
}

func exif_data_get_content(_ data: UnsafeMutablePointer<ExifData>, _ ifd: LibExifData.IFD)
    -> UnsafeMutablePointer<ExifContent>?
{
    let ifds = data.pointee.ifd
    switch ifd {
    case .zero: return ifds.0
    case .one: return ifds.1
    case .exif: return ifds.2
    case .gps: return ifds.3
    case .interoperability: return ifds.4
    }
}
extension LibExifData.Entry {
    /// Unsigned or signed integer component `i` of a SHORT, SSHORT, LONG or SLONG entry.
    func integer(_ i: Int, bigEndian: Bool) -> Int? {
        switch format {
        case 3, 8:
            guard let v = uint(at: i * 2, size: 2, bigEndian: bigEndian) else { return nil }
            return format == 3 ? v : Int(Int16(truncatingIfNeeded: v))
        case 4, 9:
            guard let v = uint(at: i * 4, size: 4, bigEndian: bigEndian) else { return nil }
            return format == 4 ? v : Int(Int32(truncatingIfNeeded: v))
        default: return nil
        }
    }

    /// Numerator and denominator of component `i` of a RATIONAL or SRATIONAL entry.
    func rational(_ i: Int, bigEndian: Bool) -> (Int, Int)? {
        guard format == 5 || format == 10,
            let n = uint(at: i * 8, size: 4, bigEndian: bigEndian),
            let d = uint(at: i * 8 + 4, size: 4, bigEndian: bigEndian)
        else { return nil }
        if format == 5 { return (n, d) }
        return (Int(Int32(truncatingIfNeeded: n)), Int(Int32(truncatingIfNeeded: d)))
    }

    func uint(at offset: Int, size: Int, bigEndian: Bool) -> Int? {
        guard offset >= 0, offset + size <= data.count else { return nil }
        var v = 0
        for k in 0..<size {
            let byte = Int(data[offset + (bigEndian ? k : size - 1 - k)])
            v = v << 8 | byte
        }
        return v
    }
}
