/// A file's EXIF as ImageKit reads it: the `exif` object (SPEC §3) and the typed entries behind it.
package struct ExifParse: Sendable {
    /// File offset of the TIFF header node-exif parses; nil when ImageKit sees no EXIF.
    package var tiffOffset: Int?
    package var bigEndian: Bool
    /// Every entry of the IFDs node-exif reads (IFD0, IFD1, Exif, GPS, Interop, in that order),
    /// each IFD in file order, including the entries the `exif` object leaves out.
    package var entries: [ExifEntry]
    /// ImageKit's `exif` object: `{}` or the six keys of SPEC §3.
    package var object: JSONObject
    /// Damage found on the way; the object still holds what could be read.
    package var diagnostics: [Diagnostic]
}

/// Reads EXIF with node-exif 0.6.0's rules (SPEC §3): libexif supplies the values it loads, a raw
/// TIFF index supplies order, pointer tags and every entry libexif drops (libexif-behaviour §8).
package enum ExifReader {
    /// Value bytes decoded per entry, and per file for the object's entries (and again for the
    /// others). An Exif APP1 holds at most 64 KiB, so only hostile offsets and counts reach these.
    package static let entryByteLimit = 128 << 10
    package static let valueByteLimit = 2 << 20

    package static func read(_ source: ByteSource, limits: Limits = Limits()) -> ExifParse {
        read(source, limits: limits, libexif: true)
    }


    package static func read(bytes: [UInt8], limits: Limits = Limits()) -> ExifParse {
        read(MemoryByteSource(bytes), limits: limits)
    }

    /// `libexif: false` takes every value from the raw index: the cross-check of libexif's values.
    /// `walk`: where node-exif's marker walk starts, when the JPEG segment reader has taken its
    /// first steps (`JPEGHeader.nodeExifWalk`).
    static func read(_ source: ByteSource, limits: Limits, libexif: Bool, walk: ExifLocator.Start = ExifLocator.fileStart) -> ExifParse {
        let buffer = NodeBuffer(source)
        var log = DiagnosticLog()
        switch ExifLocator.locate(buffer, from: walk) {
        case .none(let damaged):
            if let damaged { log.add(nil, damaged + "; exif is {}") }
            return ExifParse(tiffOffset: nil, bigEndian: false, entries: [], object: JSONObject(), diagnostics: log.all)
        case .found(let tiff, let bigEndian):
            var values: LibExifValues? = nil
            if libexif {
                let block = buffer.bytes(tiff, LibExifGuard.bufferLimit)
                values = LibExifValues(block)
                if values == nil && block.count >= 8 {
                    log.add(0, "the EXIF block would make libexif copy over \(LibExifGuard.maxCopiedBytes) bytes; "
                        + "its values are read directly")
                }
            }
            let index = TIFFIndex(
                buffer: buffer, tiff: tiff, bigEndian: bigEndian, diagnostics: log, entryLimit: limits.exifEntries)
            var parser = NodeExifParser(index: index, libexif: values)
            let object = parser.run()
            return ExifParse(
                tiffOffset: tiff, bigEndian: bigEndian, entries: parser.entries, object: object,
                diagnostics: parser.index.diagnostics.all)
        }
    }
}

/// node-exif 0.6.0's `extractExifData` over the raw index (imagekit-spec §2.3).
struct NodeExifParser {
    var index: TIFFIndex
    let libexif: LibExifValues?
    var entries: [ExifEntry] = []
    /// Value bytes still allowed, for entries the object shows (true) and for the others (false).
    private var budget = [true: ExifReader.valueByteLimit, false: ExifReader.valueByteLimit]
    /// Entries whose value may run this far past the end of the file and still be read as
    /// node-exif does (missing bytes are `undefined`); beyond it the value is cut to the file.
    private static let pastEndSlack = 1 << 16

    static let padding = 0xEA1C
    /// V8's largest array (FixedArray::kMaxLength on 64-bit): node-exif pushes one element per
    /// component (and per ASCII byte), so a longer count throws `RangeError` and the whole parse
    /// fails (UNDEFINED values are sliced, not pushed).
    static let maxJSArrayLength = 134_217_725
    /// Set when node-exif would have thrown: the object is then `{}`.
    private var threw = false
    /// Headers of the MakerNotes node-exif 0.6.0 hands to a vendor parser (imagekit-spec §2.8).
    static let makerNoteVendors = [
        "OLYMP\0\u{1}", "OLYMP\0\u{2}", "AGFA \0\u{1}", "EPSON\0\u{1}\0", "FUJIFILM", "Panasonic", "SANYO",
    ]
    static let makerNoteError =
        "Unable to extract Makernote information as it is in an unsupported or unrecognized format."

    init(index: TIFFIndex, libexif: LibExifValues?) {
        self.index = index
        self.libexif = libexif
    }

    private var tiff: Int { index.tiff }

    /// The six-key object, or `{}` when node-exif would throw.
    mutating func run() -> JSONObject {
        let ifd0Pointer = JSBytes.integer(index.buffer.long(tiff + 4, bigEndian: index.bigEndian))
        let ifd0 = index.table(.image, at: ifd0Pointer, cap: 128)
        let image = convert(ifd0)

        var thumbnail = NodeObject()
        let next = index.nextPointer(after: ifd0)
        if next != 0 {  // NaN != 0 as well
            thumbnail = convert(index.table(.thumbnail, at: next, cap: 128))
        }

        var exif = NodeObject()
        if let offset = follow(image["ExifOffset"], "ExifOffset", from: .image) {
            exif = convert(index.table(.exif, at: offset, cap: nil))  // the Exif IFD has no cap
        }
        var gps = NodeObject()
        if let offset = follow(image["GPSInfo"], "GPSInfo", from: .image) {
            gps = convert(index.table(.gps, at: offset, cap: 128))
        }
        var interop = NodeObject()
        if let offset = follow(exif["InteropOffset"], "InteropOffset", from: .exif) {
            interop = convert(index.table(.interoperability, at: offset, cap: 128))
        }

        guard !threw, let makernote = makerNote(exif["MakerNote"]) else { return JSONObject() }
        var object = JSONObject()
        object["image"] = .object(image.json)
        object["thumbnail"] = .object(thumbnail.json)
        object["exif"] = .object(exif.json)
        object["gps"] = .object(gps.json)
        object["interoperability"] = .object(interop.json)
        object["makernote"] = .object(makernote)
        return object
    }

    /// node-exif follows a pointer tag when its value is truthy, at `tiffOffset + value`.
    /// Returns the table offset (nil inside for a NaN offset), or nil when nothing is followed.
    private mutating func follow(_ value: NodeValue?, _ name: String, from ifd: ExifIFD) -> Int?? {
        guard let value, value.isTruthy else { return nil }
        guard case .number(let d) = value else {
            // JavaScript then adds a string or array to a number: the result is a string, and the
            // "IFD" node-exif reads at it is unrelated bytes. Nothing is read here.
            index.diagnostics.add(nil, "\(ifd) \(name) is not a number; its IFD is not read")
            return nil
        }
        guard d.isFinite, d == d.rounded() else { return .some(nil) }
        return .some(Int(d))
    }

    /// node-exif's loop over one table: names from its tables, values by type, 0xEA1C skipped,
    /// unknown tags and types skipped (the Interop IFD stops at the first), later duplicates
    /// overwriting earlier ones in place (SPEC §3).
    private mutating func convert(_ table: IndexedTable) -> NodeObject {
        let fromLibexif =
            libexif?.values(
                for: table.ifd, table: table.entries, tableOffset: table.offset, storedCount: table.storedCount) ?? [:]
        var object = NodeObject()
        var stopped = false
        for (i, entry) in table.entries.enumerated() {
            let name = entry.tag.flatMap { ExifTagNames.name(of: UInt16($0), in: table.ifd) }
            let read = !stopped && name != nil && NodeConversion.size(of: entry.type ?? 0) > 0
            if read, entry.type != 7, let count = entry.count, count > Self.maxJSArrayLength, !threw {
                threw = true
                index.diagnostics.add(
                    entry.entryOffset,
                    "\(table.ifd) tag 0x\(hex4(entry.tag)) claims \(count) components, more than node-exif can hold; exif is {}")
            }
            let (data, components) = value(of: entry, libexif: fromLibexif[i], forObject: read)
            if stopped { continue }
            guard read, let name, let type = entry.type,
                let value = NodeConversion.value(type: type, count: components, data: data, bigEndian: index.bigEndian)
            else {
                if table.ifd == .interoperability { stopped = true }  // node-exif's `break`
                continue
            }
            if entry.tag == Self.padding { continue }
            object[name] = value
        }
        return object
    }

    /// The value bytes of `entry` and the component count node-exif's loop runs to. Records the
    /// typed entry when its 12 bytes are complete. Entries the object leaves out (`forObject`
    /// false) draw on a budget of their own, so they cannot starve the ones it shows.
    private mutating func value(of entry: IndexedEntry, libexif: [UInt8]?, forObject: Bool) -> ([UInt8], Int) {
        guard let type = entry.type else { return ([], 0) }
        let size = ExifType(code: UInt16(type)).size
        let valueOffset: Int?
        if NodeConversion.size(of: type) > 0 {
            let inline = NodeConversion.isInline(type: type, count: entry.count)
            valueOffset = inline ? entry.entryOffset + 8 : entry.pointerField
        } else if size > 0, let count = entry.count {
            valueOffset = count * size <= 4 ? entry.entryOffset + 8 : entry.pointerField
        } else {
            valueOffset = nil
        }
        var data: [UInt8] = []
        var components = 0
        var source = ExifEntry.Source.tiff
        // `getString(NaN, n)` loops zero times: "" (other types still give n NaN components).
        if size > 0, let count = entry.count, !(valueOffset == nil && type == 2) {
            components = count
            let available = valueOffset.map { max(0, index.buffer.count - (tiff + $0)) } ?? 0
            if count * size > available + Self.pastEndSlack {
                components = available / size
                index.diagnostics.add(
                    entry.entryOffset,
                    "\(entry.ifd) tag 0x\(hex4(entry.tag)) claims \(count) components, far past the end of the file; "
                        + "\(components) are read")
            }
            let left = budget[forObject, default: 0]
            if components * size > min(left, ExifReader.entryByteLimit) {
                components = max(0, min(left, ExifReader.entryByteLimit) / size)
                index.diagnostics.add(
                    entry.entryOffset,
                    "\(entry.ifd) tag 0x\(hex4(entry.tag)) is cut to \(components) components "
                        + "by the limits on EXIF value bytes")
            }
            budget[forObject] = left - components * size
            if let libexif, components == count {
                data = libexif
                source = .libexif
            } else {
                data = index.buffer.bytes(valueOffset.map { tiff + $0 }, components * size)
                if data.count < components * size {
                    index.diagnostics.add(
                        entry.entryOffset, "\(entry.ifd) tag 0x\(hex4(entry.tag)) has a value past the end of the file")
                }
            }
        }
        if let tag = entry.tag, let count = entry.count, entry.isComplete {
            entries.append(
                ExifEntry(
                    ifd: entry.ifd, tag: UInt16(tag), type: ExifType(code: UInt16(type)), count: UInt32(count),
                    entryOffset: entry.entryOffset, valueOffset: valueOffset ?? entry.entryOffset + 8,
                    bigEndian: index.bigEndian, data: data, source: source))
        }
        return (data, components)
    }

    /// `makernote` (SPEC §3): `{}` without a MakerNote or for node-exif's six vendors, an error
    /// text for any other header. nil when node-exif throws (a MakerNote that is not a Buffer).
    private mutating func makerNote(_ value: NodeValue?) -> JSONObject? {
        switch value {
        case nil, .undefined?: return JSONObject()
        case .buffer(let bytes)?:
            // `getString(0, n)`: bytes past the Buffer read as NUL.
            func starts(_ text: String) -> Bool {
                let want = Array(text.utf8)
                return (0..<want.count).allSatisfy { ($0 < bytes.count ? bytes[$0] : 0) == want[$0] }
            }
            if Self.makerNoteVendors.contains(where: starts) { return JSONObject() }
            return JSONObject([("error", .string(Self.makerNoteError))])
        default:
            index.diagnostics.add(
                nil, "the MakerNote is not of type UNDEFINED, which node-exif cannot read; exif is {}")
            return nil
        }
    }
}
