/// Builds the `ExifView` of a file: finds the TIFF block of its container (`ExifSource`), walks
/// IFD0, IFD1, the Exif, GPS and Interop IFDs with the raw TIFF index (bounded by
/// `Limits.exifEntries`, each table read once), and has libexif describe every value.
public enum ExifViewReader {
    /// The EXIF view of the file at `path`.
    public static func read(path: String, limits: Limits = Limits()) throws(MetadataError) -> ExifView {
        try read(FileByteSource(path: path), limits: limits)
    }

    /// The EXIF view of an image in memory.
    public static func read(bytes: [UInt8], limits: Limits = Limits()) throws(MetadataError) -> ExifView {
        try read(MemoryByteSource(bytes), limits: limits)
    }

    /// Throws only when the file cannot be read as an image at all; a file without EXIF gives an
    /// empty view.
    package static func read(_ source: ByteSource, limits: Limits = Limits()) throws(MetadataError) -> ExifView {
        guard source.count > 0 else { throw MetadataError.empty }
        guard source.count <= limits.fileSize else {
            throw MetadataError.overLimit(what: "file size in bytes", value: source.count, limit: limits.fileSize)
        }
        guard let format = ImageFormat.detect(source.bytes(at: 0, length: 512)) else { throw MetadataError.notAnImage }
        var view = ExifView()
        guard let lookup = ExifSource.lookup(format) else { return view }
        let found = try lookup(source, limits)
        view.diagnostics = found.diagnostics
        view.xmpBytes = found.xmpBytes
        if let tiff = found.tiff {
            view.source = found.name
            view.tiffOffset = found.tiffOffset
            var walk = TIFFWalk(tiff, limits: limits)
            walk.run(into: &view)
        }
        let tiffICC = view.tags.first { $0.entry.ifd == .image && $0.id == 0x8773 }?.entry.data
        if let icc = found.icc ?? tiffICC { view.iccDescription = ICCDescription.of(icc) }
        if view.xmpBytes == nil, let xmp = view.tags.first(where: { $0.entry.ifd == .image && $0.id == 0x02BC }) {
            view.xmpBytes = Int(xmp.entry.count)
        }
        return view
    }
}

/// One walk over a TIFF block.
struct TIFFWalk {
    let buffer: NodeBuffer
    let limits: Limits
    /// Value bytes still allowed for the whole file.
    private var budget = ExifReader.valueByteLimit
    private var log = DiagnosticLog()

    init(_ tiff: ByteSource, limits: Limits) {
        buffer = NodeBuffer(tiff)
        self.limits = limits
    }

    mutating func run(into view: inout ExifView) {
        let bigEndian: Bool
        switch (buffer.byte(0), buffer.byte(1)) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default:
            view.diagnostics.append(Diagnostic(.file, "EXIF: the block has no TIFF byte-order mark (II or MM)"))
            return
        }
        view.bigEndian = bigEndian
        if buffer.short(2, bigEndian: bigEndian) != 0x2A {
            log.add(2, "the TIFF header lacks the 0x002A mark; the IFDs are read anyway")
        }
        var index = TIFFIndex(buffer: buffer, tiff: 0, bigEndian: bigEndian, diagnostics: log, entryLimit: limits.exifEntries)
        let describer = LibExifText.Describer(bigEndian: bigEndian)

        var pending: [(ExifIFD, Int)] = []
        if let first = JSBytes.integer(buffer.long(4, bigEndian: bigEndian)) { pending.append((.image, first)) }
        var read = Set<ExifIFD>()
        while !pending.isEmpty {
            let (ifd, offset) = pending.removeFirst()
            guard read.insert(ifd).inserted else { continue }
            let table = index.table(ifd, at: offset, cap: nil)
            var tags: [ExifTag] = []
            for raw in table.entries {
                guard raw.isComplete, let tag = raw.tag, let type = raw.type, let count = raw.count else { continue }
                let entry = entryValue(raw, tag: tag, type: type, count: count, bigEndian: bigEndian, index: &index)
                tags.append(ExifViewTag.make(entry, describer: describer))
                if let next = Self.subIFD(tag, in: ifd), let pointer = raw.pointerField, pointer != 0 {
                    pending.append((next, pointer))
                }
            }
            if ifd == .image, let next = index.nextPointer(after: table), next != 0 {
                pending.append((.thumbnail, next))
            }
            if !tags.isEmpty || table.readCount != nil { view.directories.append(ExifDirectory(ifd: ifd, tags: tags)) }
        }
        view.directories.sort { $0.ifd.rawValue < $1.ifd.rawValue }
        view.diagnostics += index.diagnostics.all
        view.makerNote = ExifMakerNoteReader.read(view, buffer: buffer, diagnostics: &view.diagnostics)
        view.gps = ExifGPSReader.read(view)
        view.thumbnail = thumbnail(view, diagnostics: &view.diagnostics)
    }

    /// The IFD a pointer tag leads to (IFD0 → Exif and GPS, Exif → Interop).
    static func subIFD(_ tag: Int, in ifd: ExifIFD) -> ExifIFD? {
        switch (ifd, tag) {
        case (.image, 0x8769): return .exif
        case (.image, 0x8825): return .gps
        case (.exif, 0xA005): return .interoperability
        default: return nil
        }
    }

    /// The entry with its value bytes, cut by the per-entry and per-file limits and the end of data.
    private mutating func entryValue(
        _ raw: IndexedEntry, tag: Int, type: Int, count: Int, bigEndian: Bool, index: inout TIFFIndex
    ) -> ExifEntry {
        let size = ExifType.size(code: type)
        let total = size * count
        let valueOffset = total <= 4 ? raw.entryOffset + 8 : raw.pointerField ?? 0
        var wanted = min(total, ExifReader.entryByteLimit, budget)
        wanted -= wanted % max(size, 1)
        var data: [UInt8] = []
        if wanted > 0 {
            data = buffer.bytes(valueOffset, wanted)
            budget -= data.count
        }
        if data.count < total {
            let why = wanted < total && valueOffset + wanted < buffer.count ? "the limits on EXIF value bytes" : "the end of the data"
            index.diagnostics.add(
                raw.entryOffset,
                "\(raw.ifd) tag 0x\(hex4(tag)) has \(count) component\(count == 1 ? "" : "s"); \(data.count / max(size, 1)) read (\(why))")
        }
        return ExifEntry(
            ifd: raw.ifd, tag: UInt16(truncatingIfNeeded: tag), type: ExifType(code: UInt16(truncatingIfNeeded: type)),
            count: UInt32(truncatingIfNeeded: count), entryOffset: raw.entryOffset, valueOffset: valueOffset,
            bigEndian: bigEndian, data: data, source: .tiff)
    }

    /// IFD1's JPEGInterchangeFormat / JPEGInterchangeFormatLength, when they lie inside the block.
    private func thumbnail(_ view: ExifView, diagnostics: inout [Diagnostic]) -> ExifThumbnail? {
        let ifd1 = view.directories.first { $0.ifd == .thumbnail }?.tags ?? []
        func first(_ id: UInt16) -> Int? {
            guard let t = ifd1.first(where: { $0.id == id }) else { return nil }
            switch t.entry.value {
            case .longs(let v): return v.first.map(Int.init)
            case .shorts(let v): return v.first.map(Int.init)
            default: return nil
            }
        }
        guard let offset = first(0x0201), let length = first(0x0202), length > 0 else { return nil }
        guard offset < buffer.count, length <= buffer.count - offset, length <= limits.chunkSize else {
            diagnostics.append(Diagnostic(.exif(offset: offset), "the thumbnail (\(length) bytes) lies outside the EXIF data"))
            return nil
        }
        let bytes = buffer.bytes(offset, length)
        return ExifThumbnail(format: bytes.hasPrefix([0xFF, 0xD8]) ? "jpeg" : "unknown", bytes: bytes)
    }
}

/// Names and descriptions of one entry.
enum ExifViewTag {
    static func make(_ entry: ExifEntry, describer: LibExifText.Describer?) -> ExifTag {
        let known = ExifTagNames.name(of: entry.tag, in: entry.ifd) ?? LibExifText.name(entry.tag, in: entry.ifd)
        let name = known ?? "0x" + hex4(Int(entry.tag))
        let title = LibExifText.title(entry.tag, in: entry.ifd) ?? name
        // libexif leaves some entries blank (a tag of an unexpected type) and has no words for
        // FLOAT and DOUBLE ("8 bytes unsupported data type"): those get the raw value.
        var text = (describer?.describe(entry) ?? "").trimmingSpaces
        if text.isEmpty || text.hasSuffix("unsupported data type") { text = ExifValueText.plain(entry) }
        return ExifTag(entry: entry, name: name, title: title, text: text, isKnown: known != nil)
    }
}
