import CExif
import CImageShims
import CLCMS2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C library the reader calls, with the version it reports about itself at run time (which may
/// differ from the headers the program was built against).
public struct LinkedLibrary: Sendable, Equatable {
    /// The library's usual name: "libjpeg-turbo", "libpng", …
    public var name: String
    /// The version the loaded library reports; for libexif and libjpeg-turbo, which have no call
    /// that reports their release, the file name of the shared object the dynamic loader found.
    public var version: String

    /// Creates a library entry.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// Every C library the reader uses, asked one by one.
    public static var loaded: [LinkedLibrary] {
        [
            LinkedLibrary(name: "libjpeg-turbo", version: loadedFile(of: CImageShims_JPEGSymbol())
                + " (libjpeg API " + (text(CImageShims_JPEGVersion()).split(separator: " ").first.map(String.init) ?? "unknown") + ")"),
            LinkedLibrary(name: "libpng", version: text(CImageShims_PNGVersion())),
            LinkedLibrary(name: "libexif", version: loadedFile(of: unsafeBitCast(exif_data_new as @convention(c) () -> UnsafeMutablePointer<ExifData>?, to: UnsafeRawPointer.self))),
            LinkedLibrary(name: "lcms2", version: lcmsVersion()),
            LinkedLibrary(name: "zlib", version: text(CImageShims_ZlibVersion())),
            LinkedLibrary(name: "giflib", version: loadedFile(of: CImageShims_GIFSymbol())),
            LinkedLibrary(name: "libwebp", version: webpVersion()),
            LinkedLibrary(name: "libtiff", version: tiffVersion()),
            // Opened on first use rather than linked (README "Performance"), so it may be missing.
            LinkedLibrary(name: "libheif", version: CImageShims_HEIFVersion().map { String(cString: $0) } ?? "not installed (HEIC and AVIF cannot be read)"),
        ]
    }

    private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? "unknown"
    }

    /// libwebp encodes its version as 0xMMmmpp.
    private static func webpVersion() -> String {
        let code = Int(CImageShims_WebPVersion())
        return "\(code >> 16).\(code >> 8 & 0xFF).\(code & 0xFF)"
    }

    /// "4.5.0" from libtiff's banner, "LIBTIFF, Version 4.5.0\n…".
    private static func tiffVersion() -> String {
        let banner = text(CImageShims_TIFFVersion())
        let line = banner.split(separator: "\n").first ?? ""
        return line.split(separator: " ").last.map(String.init) ?? banner
    }

    /// lcms2 encodes its version as major·1000 + minor·10 + patch (2140 is 2.14).
    private static func lcmsVersion() -> String {
        let code = Int(cmsGetEncodedCMMversion())
        let patch = code % 10
        return "\(code / 1000).\(code / 10 % 100)" + (patch == 0 ? "" : ".\(patch)")
    }

    /// The real file name of the shared object holding `symbol` ("libexif.so.12.3.4").
    private static func loadedFile(of symbol: UnsafeRawPointer?) -> String {
        guard let symbol, let path = CImageShims_LoadedFile(symbol) else { return "linked statically" }
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let full = realpath(path, &resolved) != nil
            ? String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : String(cString: path)
        return String(full.split(separator: "/").last ?? Substring(full))
    }
}
