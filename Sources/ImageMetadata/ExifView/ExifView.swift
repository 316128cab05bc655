/// A readable view of every EXIF tag of one file, in every container that carries EXIF
/// (`ikmeta exif`). Unlike `Metadata.exif`, which is ImageKit's object, nothing is dropped here:
/// unknown tags, FLOAT/DOUBLE and count-0 entries are all listed, with libexif's descriptions.
public struct ExifView: Sendable {
    /// Where the EXIF came from: "JPEG APP1", "PNG eXIf", "TIFF IFD0", …; nil without EXIF.
    public var source: String?
    /// Whether the TIFF block is big-endian (MM).
    public var bigEndian: Bool
    /// File offset of the TIFF header, to which the block's offsets are relative; nil when the
    /// block is not stored as is in the file (a hex text profile) or there is none.
    public var tiffOffset: Int?
    /// IFD0, IFD1, ExifIFD, GPS, InteropIFD, in that order, each with its tags in file order.
    /// Directories absent from the file are left out.
    public var directories: [ExifDirectory]
    /// The decoded MakerNote, when libexif knows its maker.
    public var makerNote: ExifMakerNote?
    /// GPS position and time, when the GPS IFD has them.
    public var gps: ExifGPS?
    /// The embedded thumbnail, when IFD1 points to one.
    public var thumbnail: ExifThumbnail?
    /// The ICC profile's description (lcms2), when the file has a profile.
    public var iccDescription: String?
    /// Size of the XMP packet, when the file has one.
    public var xmpBytes: Int?
    /// Damage found on the way; the tags that could be read are still listed.
    public var diagnostics: [Diagnostic]

    /// Tags whose values are offsets of image data (StripOffsets, TileOffsets,
    /// JPEGInterchangeFormat): `fileOffsets(of:)` gives them from the start of the file.
    public static let offsetTags: Set<UInt16> = [0x0111, 0x0144, 0x0201]

    /// The values of an offset tag from the start of the file (ExifTool's convention); nil for
    /// other tags or when the block's position in the file is unknown.
    public func fileOffsets(of tag: ExifTag) -> [Int]? {
        guard let base = tiffOffset, Self.offsetTags.contains(tag.id) else { return nil }
        switch tag.entry.value {
        case .longs(let v): return v.map { Int($0) + base }
        case .shorts(let v): return v.map { Int($0) + base }
        default: return nil
        }
    }

    /// Every tag, directory by directory.
    public var tags: [ExifTag] { directories.flatMap(\.tags) }

    /// An empty view: no source, no tags.
    public init() {
        source = nil
        bigEndian = false
        directories = []
        diagnostics = []
    }
}

/// One IFD of the view.
public struct ExifDirectory: Sendable {
    /// Which IFD this is.
    public var ifd: ExifIFD
    /// Its entries, in file order.
    public var tags: [ExifTag]

    /// ExifTool's name of the directory: IFD0, IFD1, ExifIFD, GPS, InteropIFD.
    public var name: String { ifd.exifToolName }
}

extension ExifIFD {
    /// ExifTool's group name for the IFD.
    public var exifToolName: String {
        switch self {
        case .image: return "IFD0"
        case .thumbnail: return "IFD1"
        case .exif: return "ExifIFD"
        case .gps: return "GPS"
        case .interoperability: return "InteropIFD"
        }
    }
}

/// One entry of a directory, with its names and libexif's description of the value.
public struct ExifTag: Sendable {
    /// The entry as stored: tag id, type, count, value bytes (`entry.value` decodes them).
    public var entry: ExifEntry
    /// libexif's name ("ExposureTime"), or "0x9999" for a tag no table knows.
    public var name: String
    /// libexif's title ("Exposure Time"), or the name.
    public var title: String
    /// libexif's description of the value (`exif_entry_get_value`: "1/160 sec.", "Top-left").
    public var text: String
    /// False when the tag is in no table (libexif's or node-exif's).
    public var isKnown: Bool

    /// The tag number.
    public var id: UInt16 { entry.tag }
}

/// The MakerNote: decoded through libexif for the makers it knows, otherwise its size alone.
public struct ExifMakerNote: Sendable {
    /// One MakerNote entry.
    public struct Tag: Sendable {
        /// The entry's tag number.
        public var id: Int
        /// libexif's name for it.
        public var name: String
        /// libexif's title for it.
        public var title: String
        /// libexif's description of its value.
        public var text: String
    }

    /// The camera maker (the Make tag, or the MakerNote's own signature).
    public var maker: String
    /// The MakerNote's size in bytes.
    public var bytes: Int
    /// libexif's decoded entries; empty for a maker libexif does not decode.
    public var tags: [Tag]
    /// Whether libexif decoded the MakerNote.
    public var decoded: Bool
}

/// The GPS position in plain units.
public struct ExifGPS: Sendable, Equatable {
    /// Signed decimal degrees: south and west are negative.
    public var latitude: Double?
    /// Signed decimal degrees, east positive.
    public var longitude: Double?
    /// Metres, negative below sea level.
    public var altitude: Double?
    /// UTC: "2021-04-11T15:47:53Z", or "15:47:53Z" without a date stamp.
    public var time: String?
}

/// The embedded thumbnail (IFD1 JPEGInterchangeFormat).
public struct ExifThumbnail: Sendable {
    /// "jpeg" when the bytes start with a JPEG SOI marker, "unknown" otherwise.
    public var format: String
    /// The thumbnail's bytes.
    public var bytes: [UInt8]
}
