#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why nothing at all could be read from an input (SPEC §5). Damage inside a readable file is
/// a `Diagnostic` instead, and the fields that could be read are still returned.
public enum MetadataError: Error, Equatable, Sendable {
    case cannotOpen(path: String, errno: Int32)
    case isDirectory(path: String)
    case notARegularFile(path: String)
    case empty
    case notAnImage
    case unsupportedFormat(ImageFormat)
    case truncatedHeader(format: ImageFormat, detail: String)
    case invalidHeader(format: ImageFormat, detail: String)
    /// A limit of `Limits` was exceeded: what, how much, and the limit.
    case overLimit(what: String, value: Int, limit: Int)
    case timeLimit(seconds: Double)

    /// ImageKit-style error body: what is wrong, then what to do about it (imagekit-spec §6.3).
    public var message: String {
        switch self {
        case .cannotOpen(let path, let code):
            return "Cannot open \(path): \(String(cString: strerror(code)))."
        case .isDirectory(let path): return "\(path) is a directory, not an image file."
        case .notARegularFile(let path): return "\(path) is not a regular file."
        case .empty: return "The file is empty."
        case .notAnImage: return "The file is not an image: its first bytes match no known image format."
        case .unsupportedFormat(let f): return "The file is \(f.displayName), which ikmeta cannot read yet."
        case .truncatedHeader(let f, let detail): return "The \(f.name) file is truncated: \(detail)."
        case .invalidHeader(let f, let detail): return "The \(f.name) file is corrupt or invalid: \(detail)."
        case .overLimit(let what, let value, let limit):
            return "The \(what) (\(value)) exceeds the limit of \(limit)."
        case .timeLimit(let seconds): return "Reading the file took longer than the limit of \(seconds) s."
        }
    }

    public var help: String {
        switch self {
        case .cannotOpen, .isDirectory, .notARegularFile:
            return "Check the path and its permissions."
        case .empty, .notAnImage:
            return "ikmeta reads \(ImageFormat.readableNames) files; the format is detected from the file's content, not its name."
        case .unsupportedFormat:
            return "ikmeta reads \(ImageFormat.readableNames) files today; convert the image or wait for a release that reads this format."
        case .overLimit, .timeLimit:
            return "Raise the limit (see `ikmeta read --help`) if the file is trusted."
        case .truncatedHeader, .invalidHeader:
            return "ImageKit would reject this file as well (\"The requested file is corrupt or invalid.\"); re-export it from the original."
        }
    }

    /// The error as a JSON body `{"message":…,"help":…}`.
    public var json: JSONValue {
        .object(JSONObject([("message", .string(message)), ("help", .string(help))]))
    }
}

/// Damage found inside a readable file; reported on stderr while the readable fields are still printed.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    public enum Place: Equatable, Sendable {
        case jpegSegment(marker: UInt8, offset: Int)
        case pngChunk(type: String, offset: Int)
        case exif(offset: Int)
        case decoder
        case file
    }
    public var place: Place
    public var message: String

    public init(_ place: Place, _ message: String) {
        self.place = place
        self.message = message
    }

    public var description: String {
        switch place {
        case .jpegSegment(let marker, let offset):
            return "JPEG segment 0xFF\(hex(marker)) at byte \(offset): \(message)"
        case .pngChunk(let type, let offset): return "PNG chunk \(type) at byte \(offset): \(message)"
        case .exif(let offset): return "EXIF at TIFF offset \(offset): \(message)"
        case .decoder: return "decoder: \(message)"
        case .file: return message
        }
    }
}
