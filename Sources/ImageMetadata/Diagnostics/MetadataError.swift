#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why nothing at all could be read from an input (SPEC §5). Damage inside a readable file is
/// a `Diagnostic` instead, and the fields that could be read are still returned.
///
/// ``message`` says what is wrong and ``help`` what to do about it, the same two texts the
/// `ikmeta` tool prints; `description` and `LocalizedError`'s `errorDescription` give the message.
public enum MetadataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened; `errno` is the system's reason.
    case cannotOpen(path: String, errno: Int32)
    /// The path names a directory.
    case isDirectory(path: String)
    /// The path names something other than a regular file (a FIFO, a device, a socket).
    case notARegularFile(path: String)
    /// The file has no bytes.
    case empty
    /// The first bytes match no image format.
    case notAnImage
    /// An image format the reader does not decode.
    case unsupportedFormat(ImageFormat)
    /// The file ends inside its header.
    case truncatedHeader(format: ImageFormat, detail: String)
    /// The header is damaged beyond reading.
    case invalidHeader(format: ImageFormat, detail: String)
    /// A limit of `Limits` was exceeded: what, how much, and the limit.
    case overLimit(what: String, value: Int, limit: Int)
    /// Reading took longer than `Limits.seconds`.
    case timeLimit(seconds: Double)
    /// A whole-image buffer had to go to a temporary file, and none could be made or written.
    case temporaryFile(detail: String)
    /// The C library that reads this format is opened on first use and could not be; `detail` names it.
    case missingLibrary(format: ImageFormat, detail: String)

    /// What is wrong, as the first half of an ImageKit-style error body (imagekit-spec §6.3).
    public var message: String {
        switch self {
        case .cannotOpen(let path, let code):
            return "Cannot open \(PathBytes.jsonText(path)): \(String(cString: strerror(code)))."
        case .isDirectory(let path): return "\(PathBytes.jsonText(path)) is a directory, not an image file."
        case .notARegularFile(let path):
            return "\(PathBytes.jsonText(path)) is not a regular file (a FIFO, device or socket); it was not read."
        case .empty: return "The file is empty."
        case .notAnImage: return "The file is not an image: its first bytes match no known image format."
        case .unsupportedFormat(let f): return "The file is \(f.displayName), which ikmeta cannot read yet."
        case .truncatedHeader(let f, let detail): return "The \(f.name) file is truncated: \(detail)."
        case .invalidHeader(let f, let detail): return "The \(f.name) file is corrupt or invalid: \(detail)."
        case .overLimit(let what, let value, let limit):
            return "The \(what) (\(value)) exceeds the limit of \(limit)."
        case .timeLimit(let seconds): return "Reading the file took longer than the limit of \(seconds) s."
        case .temporaryFile(let detail): return "ikmeta could not use a temporary file for this image: \(detail)."
        case .missingLibrary(let f, let detail): return "The file is \(f.displayName), and \(detail)."
        }
    }

    /// What to do about it, as the second half of an ImageKit-style error body; it names no
    /// command-line option, so that it reads the same in the tool and in a program.
    public var help: String {
        switch self {
        case .cannotOpen, .isDirectory, .notARegularFile:
            return "Check the path and its permissions."
        case .empty, .notAnImage:
            return "ikmeta reads \(ImageFormat.readableNames) files; the format is detected from the file's content, not its name."
        case .unsupportedFormat:
            return "ikmeta reads \(ImageFormat.readableNames) files today; convert the image or wait for a release that reads this format."
        case .overLimit, .timeLimit:
            return "If the file is trusted, raise this limit and read it again."
        case .temporaryFile:
            return "Set TMPDIR to a writable folder with free space, or raise the in-memory image limit to keep the image in memory."
        case .missingLibrary:
            return "Install the library named (the system's package of it) and read the file again."
        case .truncatedHeader, .invalidHeader:
            return "ImageKit would reject this file as well (\"The requested file is corrupt or invalid.\"); re-export it from the original."
        }
    }

    /// The message, as the tool prints it.
    public var description: String { message }

    /// The error as a JSON body `{"message":…,"help":…}`.
    public var json: JSONValue {
        .object(JSONObject([("message", .string(message)), ("help", .string(help))]))
    }
}

/// Damage found inside a readable file; reported on stderr while the readable fields are still printed.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// Where in the file the damage was found.
    public enum Place: Equatable, Sendable {
        /// A JPEG segment: its marker byte and the segment's file offset.
        case jpegSegment(marker: UInt8, offset: Int)
        /// A PNG chunk: its type and the chunk's file offset.
        case pngChunk(type: String, offset: Int)
        /// The EXIF block, at an offset from its TIFF header.
        case exif(offset: Int)
        /// The pixel decoder (libjpeg, libpng).
        case decoder
        /// The file as a whole.
        case file
    }
    /// Where the damage was found.
    public var place: Place
    /// What was found.
    public var message: String

    /// Creates a diagnostic.
    public init(_ place: Place, _ message: String) {
        self.place = place
        self.message = message
    }

    /// The place and the message on one line, as the tool prints it.
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
