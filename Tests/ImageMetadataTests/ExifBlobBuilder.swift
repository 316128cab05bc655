/// Builds TIFF/EXIF blobs and the JPEGs that carry them, in either byte order, for the EXIF tests.
///
///     var b = ExifBlob(bigEndian: true)
///     b.ifd("0", [b.ascii(0x010F, "Canon\0"), b.pointer(0x8769, to: "exif")], next: "1")
///     b.ifd("exif", [b.undefined(0x9000, Array("0221".utf8))])
///     let file = b.jpeg()
///
/// IFDs are laid out after the 8-byte header in the order they are added (the first is IFD0);
/// values longer than 4 bytes follow all IFDs. Labels resolve to TIFF-relative offsets.
struct ExifBlob {
    enum Field {
        /// Value bytes (already in the blob's byte order): inline when ≤ 4 bytes, else stored after the IFDs.
        case bytes([UInt8])
        /// A LONG offset of the IFD with this label.
        case offset(of: String)
        /// The 4-byte field exactly as given (a pointer anywhere, or garbage).
        case field(UInt32)
    }

    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        var field: Field
    }

    struct IFD {
        var label: String
        var entries: [Entry]
        /// Count written in the table; defaults to the number of entries.
        var storedCount: Int?
        var next: Field?
    }

    var bigEndian: Bool
    var ifds: [IFD] = []
    /// Bytes appended after the value area (so values can point past it).
    var trailer: [UInt8] = []

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    // MARK: IFDs

    mutating func ifd(_ label: String, _ entries: [Entry], next: String? = nil, storedCount: Int? = nil) {
        ifds.append(IFD(label: label, entries: entries, storedCount: storedCount, next: next.map { .offset(of: $0) }))
    }

    mutating func ifd(_ label: String, _ entries: [Entry], nextField: UInt32, storedCount: Int? = nil) {
        ifds.append(IFD(label: label, entries: entries, storedCount: storedCount, next: .field(nextField)))
    }

    // MARK: Entries

    func u16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
    func u32(_ v: UInt32) -> [UInt8] {
        let be = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        return bigEndian ? be : be.reversed()
    }

    func byte(_ tag: UInt16, _ v: [UInt8]) -> Entry { Entry(tag: tag, type: 1, count: UInt32(v.count), field: .bytes(v)) }
    func ascii(_ tag: UInt16, _ s: String) -> Entry { ascii(tag, Array(s.utf8)) }
    func ascii(_ tag: UInt16, _ v: [UInt8]) -> Entry { Entry(tag: tag, type: 2, count: UInt32(v.count), field: .bytes(v)) }
    func short(_ tag: UInt16, _ v: [UInt16]) -> Entry {
        Entry(tag: tag, type: 3, count: UInt32(v.count), field: .bytes(v.flatMap(u16)))
    }
    func long(_ tag: UInt16, _ v: [UInt32]) -> Entry {
        Entry(tag: tag, type: 4, count: UInt32(v.count), field: .bytes(v.flatMap(u32)))
    }
    func rational(_ tag: UInt16, _ v: [(UInt32, UInt32)]) -> Entry {
        Entry(tag: tag, type: 5, count: UInt32(v.count), field: .bytes(v.flatMap { u32($0.0) + u32($0.1) }))
    }
    func sbyte(_ tag: UInt16, _ v: [Int8]) -> Entry {
        Entry(tag: tag, type: 6, count: UInt32(v.count), field: .bytes(v.map { UInt8(bitPattern: $0) }))
    }
    func undefined(_ tag: UInt16, _ v: [UInt8]) -> Entry { Entry(tag: tag, type: 7, count: UInt32(v.count), field: .bytes(v)) }
    func sshort(_ tag: UInt16, _ v: [Int16]) -> Entry {
        Entry(tag: tag, type: 8, count: UInt32(v.count), field: .bytes(v.flatMap { u16(UInt16(bitPattern: $0)) }))
    }
    func slong(_ tag: UInt16, _ v: [Int32]) -> Entry {
        Entry(tag: tag, type: 9, count: UInt32(v.count), field: .bytes(v.flatMap { u32(UInt32(bitPattern: $0)) }))
    }
    func srational(_ tag: UInt16, _ v: [(Int32, Int32)]) -> Entry {
        Entry(
            tag: tag, type: 10, count: UInt32(v.count),
            field: .bytes(v.flatMap { u32(UInt32(bitPattern: $0.0)) + u32(UInt32(bitPattern: $0.1)) }))
    }
    func float(_ tag: UInt16, _ v: Float) -> Entry { Entry(tag: tag, type: 11, count: 1, field: .bytes(u32(v.bitPattern))) }
    func double(_ tag: UInt16, _ v: Double) -> Entry {
        let bits = v.bitPattern
        let high = u32(UInt32(bits >> 32)), low = u32(UInt32(bits & 0xFFFF_FFFF))
        return Entry(tag: tag, type: 12, count: 1, field: .bytes(bigEndian ? high + low : low + high))
    }
    /// A LONG pointer to another IFD of this blob.
    func pointer(_ tag: UInt16, to label: String) -> Entry { Entry(tag: tag, type: 4, count: 1, field: .offset(of: label)) }
    /// Any tag, type and count with a raw 4-byte field.
    func raw(_ tag: UInt16, type: UInt16, count: UInt32, field: UInt32) -> Entry {
        Entry(tag: tag, type: type, count: count, field: .field(field))
    }

    // MARK: Layout

    /// TIFF-relative offsets of each IFD and of the value area.
    func layout() -> (ifds: [String: Int], values: Int) {
        var offsets: [String: Int] = [:]
        var at = 8
        for ifd in ifds {
            offsets[ifd.label] = at
            at += 2 + 12 * ifd.entries.count + 4
        }
        return (offsets, at)
    }

    /// The TIFF block: header, IFDs, value area, trailer.
    func tiff() -> [UInt8] {
        let (offsets, valueStart) = layout()
        var head: [UInt8] = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + u16(42)
        head += u32(UInt32(ifds.first.map { offsets[$0.label]! } ?? 0))
        var tables: [UInt8] = []
        var values: [UInt8] = []
        func encode(_ field: Field) -> [UInt8] {
            switch field {
            case .bytes(let v) where v.count <= 4: return v + Array(repeating: 0, count: 4 - v.count)
            case .bytes(let v):
                let at = valueStart + values.count
                values += v
                if values.count % 2 == 1 { values.append(0) }
                return u32(UInt32(at))
            case .offset(let label): return u32(UInt32(offsets[label] ?? 0))
            case .field(let raw): return u32(raw)
            }
        }
        for ifd in ifds {
            tables += u16(UInt16(truncatingIfNeeded: ifd.storedCount ?? ifd.entries.count))
            for e in ifd.entries {
                tables += u16(e.tag) + u16(e.type) + u32(e.count) + encode(e.field)
            }
            tables += ifd.next.map(encode) ?? u32(0)
        }
        return head + tables + values + trailer
    }

    /// TIFF offset where `trailer` starts.
    var trailerOffset: Int { tiff().count - trailer.count }

    // MARK: JPEG

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count + 2
        return [0xFF, marker, UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
    }

    /// A minimal frame, scan and EOI, so the container reader accepts the file.
    static let imageSegments: [UInt8] =
        segment(0xC0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]) + segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0x34, 0xFF, 0xD9]

    /// SOI, `before` segments, the Exif APP1, `after` segments, then a frame and scan.
    func jpeg(before: [UInt8] = [], after: [UInt8] = []) -> [UInt8] {
        [0xFF, 0xD8] + before + Self.segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff()) + after + Self.imageSegments
    }

    /// File offset of the TIFF header in `jpeg(before:)`.
    static func tiffStart(before: [UInt8] = []) -> Int { 2 + before.count + 4 + 6 }
}
