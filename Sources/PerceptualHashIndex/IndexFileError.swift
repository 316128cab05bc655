/// Why bytes are not a usable index file. Every damaged file ends in one of these, never in a
/// partial or wrong index.
public enum IndexFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with the index signature.
    case notAnIndex
    /// A later format than this version of ikmeta reads.
    case unsupportedVersion(UInt32)
    /// The file is shorter or longer than its header says (a partial copy, an interrupted write).
    case wrongLength(expected: String, actual: Int)
    /// The contents do not match the checksum in the header.
    case checksumMismatch
    /// The checksum matches but the path table is out of order, a path is not UTF-8 or a size is out of range.
    case inconsistent(String)
    /// The entries do not fit the format (more than 2^32 - 1, or a field out of range).
    case tooLarge(String)

    public var description: String {
        switch self {
        case .notAnIndex: return "not an ikmeta index (the file does not start with \"IKMETAIX\")"
        case .unsupportedVersion(let v): return "index format version \(v) is newer than this ikmeta reads (version \(PHashIndex.version))"
        case .wrongLength(let expected, let actual): return "the index is truncated or damaged: \(expected), but the file has \(actual) bytes"
        case .checksumMismatch: return "the index is damaged: its checksum does not match its contents"
        case .inconsistent(let what): return "the index is damaged: \(what)"
        case .tooLarge(let what): return "cannot store the index: \(what)"
        }
    }
}
