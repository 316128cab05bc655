import CExif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libexif's words for entries: tag names and titles, value descriptions (`exif_entry_get_value`)
/// and the MakerNote entries it decodes (`exif_mnote_data_*`).
enum LibExifText {
    /// Longest description kept, in bytes.
    static let textLimit = 2048

    /// libexif's name of `tag` in `ifd`, or in any IFD; nil for a tag it does not know.
    static func name(_ tag: UInt16, in ifd: ExifIFD) -> String? {
        let t = CExif.ExifTag(rawValue: UInt32(tag))
        let p = exif_tag_get_name_in_ifd(t, cIFD(ifd)) ?? exif_tag_get_name(t)
        return p.map { String(cString: $0) }
    }

    static func title(_ tag: UInt16, in ifd: ExifIFD) -> String? {
        let t = CExif.ExifTag(rawValue: UInt32(tag))
        let p = exif_tag_get_title_in_ifd(t, cIFD(ifd)) ?? exif_tag_get_title(t)
        return p.map { String(cString: $0) }
    }

    private static func cIFD(_ ifd: ExifIFD) -> ExifIfd {
        ExifIfd(rawValue: UInt32(LibExifValues.libexifIFD(ifd).rawValue))
    }

    /// Describes complete entries one at a time: each is put alone into a scratch `ExifData` of
    /// the file's byte order (libexif reads the byte order from the entry's parents).
    final class Describer {
        private let data: UnsafeMutablePointer<ExifData>
        private var buffer = [CChar](repeating: 0, count: LibExifText.textLimit)

        init?(bigEndian: Bool) {
            guard let data = exif_data_new() else { return nil }
            exif_data_set_byte_order(data, bigEndian ? EXIF_BYTE_ORDER_MOTOROLA : EXIF_BYTE_ORDER_INTEL)
            self.data = data
        }

        deinit { exif_data_unref(data) }

        /// nil unless `entry` holds exactly `count` components of a known type.
        func describe(_ entry: ExifEntry) -> String? {
            let size = entry.type.size
            guard size > 0, entry.count > 0, entry.data.count == Int(entry.count) * size,
                let content = exif_data_get_content(data, LibExifValues.libexifIFD(entry.ifd)),
                let e = exif_entry_new()
            else { return nil }
            defer { exif_entry_unref(e) }
            // exif_entry_new's allocator is calloc/free: the entry frees this copy with `free`.
            guard let bytes = malloc(entry.data.count)?.assumingMemoryBound(to: UInt8.self) else { return nil }
            entry.data.withUnsafeBufferPointer { bytes.update(from: $0.baseAddress!, count: $0.count) }
            e.pointee.tag = CExif.ExifTag(rawValue: UInt32(entry.tag))
            e.pointee.format = ExifFormat(rawValue: UInt32(entry.type.code))
            e.pointee.components = UInt(entry.count)
            e.pointee.data = bytes
            e.pointee.size = UInt32(entry.data.count)
            exif_content_add_entry(content, e)
            defer { exif_content_remove_entry(content, e) }
            return buffer.withUnsafeMutableBufferPointer { b in
                b.update(repeating: 0)
                exif_entry_get_value(e, b.baseAddress, UInt32(b.count))
                return String(decoding: UnsafeRawBufferPointer(start: b.baseAddress, count: strnlen(b.baseAddress!, b.count)),
                    as: UTF8.self)
            }
        }
    }

    /// The MakerNote entries libexif decoded while loading `exif`; empty for other makers.
    static func makerNote(_ exif: LibExifData) -> [ExifMakerNote.Tag] {
        guard let note = exif_data_get_mnote_data(exif.handle) else { return [] }
        var buffer = [CChar](repeating: 0, count: textLimit)
        var tags: [ExifMakerNote.Tag] = []
        let count = min(Int(exif_mnote_data_count(note)), LibExifGuard.maxEntries)
        for i in 0..<count {
            let n = UInt32(i)
            let id = Int(exif_mnote_data_get_id(note, n))
            let name = exif_mnote_data_get_name(note, n).map { String(cString: $0) } ?? "0x" + hex4(id)
            let title = exif_mnote_data_get_title(note, n).map { String(cString: $0) } ?? name
            let text = buffer.withUnsafeMutableBufferPointer { b -> String in
                b.update(repeating: 0)
                guard exif_mnote_data_get_value(note, n, b.baseAddress, UInt32(b.count)) != nil else { return "" }
                return String(decoding: UnsafeRawBufferPointer(start: b.baseAddress, count: strnlen(b.baseAddress!, b.count)),
                    as: UTF8.self)
            }
            tags.append(ExifMakerNote.Tag(id: id, name: name, title: title, text: text.trimmingSpaces))
        }
        return tags
    }
}
