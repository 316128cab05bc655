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
        let text = String(decoding: head.prefix(256), as: UTF8.self)
        if text.contains("<svg") || (text.hasPrefix("<?xml") && text.contains("<svg")) { return .svg }
        return nil
    }
}
