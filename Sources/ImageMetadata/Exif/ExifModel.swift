/// The IFDs the `exif` object is made of (SPEC §3), in the object's key order.
public enum ExifIFD: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// IFD0.
    case image = 0
    /// IFD1, the thumbnail's.
    case thumbnail
    /// The Exif IFD (IFD0 ExifOffset).
    case exif
    /// The GPS IFD (IFD0 GPSInfo).
    case gps
    /// The Interop IFD (Exif IFD InteropOffset).
    case interoperability

    /// The key of this IFD in the `exif` object.
    public var key: String {
        switch self {
        case .image: return "image"
        case .thumbnail: return "thumbnail"
        case .exif: return "exif"
        case .gps: return "gps"
        case .interoperability: return "interoperability"
        }
    }

    /// The IFD's usual name: "IFD0", "Exif IFD", …
    public var description: String {
        switch self {
        case .image: return "IFD0"
        case .thumbnail: return "IFD1"
        case .exif: return "Exif IFD"
        case .gps: return "GPS IFD"
        case .interoperability: return "Interop IFD"
        }
    }
}

/// The TIFF field types (EXIF 2.3 §4.6.2). Codes outside 1–12 are kept as `.other`.
public enum ExifType: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// One of the twelve types of EXIF 2.3 §4.6.2 (codes 1–12).
    case byte, ascii, short, long, rational, sbyte, undefined, sshort, slong, srational, float, double
    /// Any other type code.
    case other(UInt16)

    /// The type with this TIFF type code.
    public init(code: UInt16) {
        switch code {
        case 1: self = .byte
        case 2: self = .ascii
        case 3: self = .short
        case 4: self = .long
        case 5: self = .rational
        case 6: self = .sbyte
        case 7: self = .undefined
        case 8: self = .sshort
        case 9: self = .slong
        case 10: self = .srational
        case 11: self = .float
        case 12: self = .double
        default: self = .other(code)
        }
    }

    /// The TIFF type code.
    public var code: UInt16 {
        switch self {
        case .byte: return 1
        case .ascii: return 2
        case .short: return 3
        case .long: return 4
        case .rational: return 5
        case .sbyte: return 6
        case .undefined: return 7
        case .sshort: return 8
        case .slong: return 9
        case .srational: return 10
        case .float: return 11
        case .double: return 12
        case .other(let c): return c
        }
    }

    /// Bytes per component; 0 for an unknown type.
    public var size: Int { Self.size(code: Int(code)) }

    /// Bytes per component of type `code` (libexif's `exif_format_get_size`): 0 outside 1–12.
    static func size(code: Int) -> Int {
        switch code {
        case 1, 2, 6, 7: return 1
        case 3, 8: return 2
        case 4, 9, 11: return 4
        case 5, 10, 12: return 8
        default: return 0
        }
    }

    /// The type's name in the EXIF standard: "SHORT", "RATIONAL", …
    public var description: String {
        switch self {
        case .byte: return "BYTE"
        case .ascii: return "ASCII"
        case .short: return "SHORT"
        case .long: return "LONG"
        case .rational: return "RATIONAL"
        case .sbyte: return "SBYTE"
        case .undefined: return "UNDEFINED"
        case .sshort: return "SSHORT"
        case .slong: return "SLONG"
        case .srational: return "SRATIONAL"
        case .float: return "FLOAT"
        case .double: return "DOUBLE"
        case .other(let c): return "type \(c)"
        }
    }
}

/// A numerator over a denominator, as stored.
public struct ExifRational<Component: FixedWidthInteger & Sendable>: Equatable, Sendable {
    /// The numerator as stored.
    public var numerator: Component
    /// The denominator as stored (may be 0).
    public var denominator: Component

    /// A rational from its two stored components.
    public init(_ numerator: Component, _ denominator: Component) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The quotient as JavaScript computes it: `x/0` is infinite, `0/0` NaN.
    public var doubleValue: Double { Double(numerator) / Double(denominator) }
}

/// An entry's components decoded by type. Only components wholly inside the file are listed,
/// so an entry whose value runs past the end of the file has fewer than its `count`.
public enum ExifValue: Equatable, Sendable {
    /// BYTE components.
    case bytes([UInt8])
    /// ASCII bytes as stored, NUL included.
    case ascii([UInt8])
    /// SHORT components.
    case shorts([UInt16])
    /// LONG components.
    case longs([UInt32])
    /// RATIONAL components.
    case rationals([ExifRational<UInt32>])
    /// SBYTE components.
    case signedBytes([Int8])
    /// UNDEFINED bytes.
    case undefined([UInt8])
    /// SSHORT components.
    case signedShorts([Int16])
    /// SLONG components.
    case signedLongs([Int32])
    /// SRATIONAL components.
    case signedRationals([ExifRational<Int32>])
    /// FLOAT components.
    case floats([Float])
    /// DOUBLE components.
    case doubles([Double])
    /// A type code outside 1–12: its size is unknown, so nothing is read.
    case unknown
}

/// One 12-byte IFD entry as the file stores it, from the same parse that builds the `exif` object.
public struct ExifEntry: Equatable, Sendable {
    /// Where a value's bytes came from.
    public enum Source: Equatable, Sendable {
        /// libexif's `ExifEntry` (the entry is one libexif loaded, SPEC §3, libexif-behaviour §8).
        case libexif
        /// The raw TIFF index: entries libexif drops or cannot reach.
        case tiff
    }

    /// The IFD the entry belongs to.
    public var ifd: ExifIFD
    /// The tag number.
    public var tag: UInt16
    /// The stored type.
    public var type: ExifType
    /// Component count as stored (may exceed what the file holds).
    public var count: UInt32
    /// Byte offset of the 12-byte entry, from the TIFF header.
    public var entryOffset: Int
    /// Byte offset of the value, from the TIFF header: inside the entry when it fits in 4 bytes.
    public var valueOffset: Int
    /// TIFF byte order of the block.
    public var bigEndian: Bool
    /// The value's bytes in file byte order; shorter than `count × size` when the file ends first
    /// or a limit cut the value.
    public var data: [UInt8]
    /// Where the value's bytes came from.
    public var source: Source

    /// node-exif's name for the tag, nil for a tag it does not know (SPEC §3).
    public var name: String? { ExifTagNames.name(of: tag, in: ifd) }

    /// The complete components of `data`, decoded by `type`.
    public var value: ExifValue {
        let reader = ByteOrderReader(data: data, bigEndian: bigEndian)
        switch type {
        case .byte: return .bytes(data)
        case .ascii: return .ascii(data)
        case .undefined: return .undefined(data)
        case .sbyte: return .signedBytes(data.map { Int8(bitPattern: $0) })
        case .short: return .shorts(reader.components(2).map { UInt16(reader.unsigned($0, 2)) })
        case .sshort:
            return .signedShorts(reader.components(2).map { Int16(bitPattern: UInt16(reader.unsigned($0, 2))) })
        case .long: return .longs(reader.components(4).map { UInt32(reader.unsigned($0, 4)) })
        case .slong: return .signedLongs(reader.components(4).map { Int32(bitPattern: UInt32(reader.unsigned($0, 4))) })
        case .float: return .floats(reader.components(4).map { Float(bitPattern: UInt32(reader.unsigned($0, 4))) })
        case .double: return .doubles(reader.components(8).map { Double(bitPattern: reader.unsigned($0, 8)) })
        case .rational:
            return .rationals(reader.components(8).map {
                ExifRational(UInt32(reader.unsigned($0, 4)), UInt32(reader.unsigned($0 + 4, 4)))
            })
        case .srational:
            return .signedRationals(reader.components(8).map {
                ExifRational(Int32(bitPattern: UInt32(reader.unsigned($0, 4))),
                    Int32(bitPattern: UInt32(reader.unsigned($0 + 4, 4))))
            })
        case .other: return .unknown
        }
    }
}

/// Fixed-size unsigned integers from a byte array in either byte order.
private struct ByteOrderReader {
    let data: [UInt8]
    let bigEndian: Bool

    /// Start offsets of the complete components of `size` bytes.
    func components(_ size: Int) -> StrideTo<Int> {
        stride(from: 0, to: data.count - data.count % size, by: size)
    }

    func unsigned(_ offset: Int, _ size: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<size {
            v = v << 8 | UInt64(data[offset + (bigEndian ? k : size - 1 - k)])
        }
        return v
    }
}
