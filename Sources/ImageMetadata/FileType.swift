/// Image formats, named as ImageKit names them in `format` (SPEC §2).
public enum ImageFormat: String, Sendable, CaseIterable {
    /// A format ImageKit names; only `jpg` and `png` are read, the others are detected and refused.
    case jpg, png, webp, gif, tiff, avif, heic, svg, bmp, ico

    /// The format's usual name: "JPEG", "PNG", …
    public var name: String {
        switch self {
        case .jpg: return "JPEG"
        case .heic: return "HEIC"
        case .avif: return "AVIF"
        case .webp: return "WebP"
        default: return rawValue.uppercased()
        }
    }

    /// The name with its article, for sentences: "a JPEG", "an AVIF".
    public var displayName: String {
        switch self {
        case .jpg: return "a JPEG"
        case .png: return "a PNG"
        case .webp: return "a WebP"
        case .gif: return "a GIF"
        case .tiff: return "a TIFF"
        case .avif: return "an AVIF"
        case .heic: return "a HEIC"
        case .svg: return "an SVG"
        case .bmp: return "a BMP"
        case .ico: return "an ICO"
        }
    }

    /// Detects the format from the first bytes of a file, never from its name (SPEC §2): the
    /// readers' own detection first, then the signatures of the formats no reader reads yet.
    public static func detect(_ head: [UInt8]) -> ImageFormat? {
        FormatRegistry.reader(for: head)?.format ?? recognised(head)
    }

    /// Formats recognised, for a clear error, but not read. A reader's signature is its own.
    private static func recognised(_ head: [UInt8]) -> ImageFormat? {
        if head.hasPrefix(Array("GIF87a".utf8)) || head.hasPrefix(Array("GIF89a".utf8)) { return .gif }
        if head.hasPrefix(Array("RIFF".utf8)) && head.hasPrefix(Array("WEBP".utf8), at: 8) { return .webp }
        if head.hasPrefix([0x49, 0x49, 0x2A, 0x00]) || head.hasPrefix([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if head.hasPrefix(Array("ftyp".utf8), at: 4), head.count >= 12 {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            if brand == "avif" || brand == "avis" { return .avif }
            if ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"].contains(brand) { return .heic }
        }
        if head.hasPrefix(Array("BM".utf8)) { return .bmp }
        if head.hasPrefix([0x00, 0x00, 0x01, 0x00]) { return .ico }
        let text = String(decoding: head.prefix(256), as: UTF8.self)
        if text.contains("<svg") || (text.hasPrefix("<?xml") && text.contains("<svg")) { return .svg }
        return nil
    }
}
