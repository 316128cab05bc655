import PerceptualHash

/// An immutable set of images and their pHashes, searchable by Hamming distance, and its file form.
///
/// File form (all integers little-endian), version 1:
///
///     0   "IKMETAIX"                       signature
///     8   UInt32 version (1), UInt32 0     reserved
///     16  UInt64 n                         entries
///     24  UInt64 p                         bytes of the path text
///     32  UInt64 checksum                  of every byte from offset 40 to the end
///     40  n × UInt64                       pHashes
///         n × (UInt32 width, UInt32 height, UInt64 size, UInt64 path end)
///         p bytes                          the paths in UTF-8, back to back; path i ends at
///                                          its "path end" and starts where path i - 1 ends
///
/// A file is taken in with one read and checked (length, checksum, path table) before use; the
/// records and paths stay in that buffer and are decoded only when an entry is asked for.
/// Instances are immutable, so any number of threads may query one at the same time.
public final class PHashIndex: Sendable {
    public static let version: UInt32 = 1
    static let signature = Array("IKMETAIX".utf8)
    public static let headerSize = 40
    static let recordSize = 24

    /// The file form, which also holds the records and paths.
    public let bytes: [UInt8]
    public let search: HammingSearch
    public var count: Int { search.hashes.count }
    private let recordsStart: Int
    private let pathsStart: Int

    /// Builds an index of `entries`, in that order.
    public convenience init(entries: [IndexEntry]) throws(IndexFileError) {
        try self.init(bytes: Self.encode(entries))
    }

    /// The length of the whole file that a header (its first `headerSize` bytes or more)
    /// announces, so that a reader knows how much to read; nil when `header` is too short, is
    /// not an index header, or announces more than the address space holds.
    public static func promisedLength(header: [UInt8]) -> Int? {
        guard header.count >= headerSize, Array(header[0..<8]) == signature else { return nil }
        let count = word(header, 16), pathBytes = word(header, 24), quarter = UInt64(Int.max / 4)
        guard count <= quarter / UInt64(8 + recordSize), pathBytes <= quarter else { return nil }
        return headerSize + Int(count) * (8 + recordSize) + Int(pathBytes)
    }

    /// Checks and adopts the bytes of an index file.
    public init(bytes: [UInt8]) throws(IndexFileError) {
        guard bytes.count >= 8, Array(bytes[0..<8]) == Self.signature else { throw .notAnIndex }
        guard bytes.count >= Self.headerSize else {
            throw .wrongLength(expected: "the header needs \(Self.headerSize) bytes", actual: bytes.count)
        }
        // The version and the reserved word after it, which version 1 leaves 0.
        let version = Self.word(bytes, 8)
        guard version == UInt64(Self.version) else { throw .unsupportedVersion(UInt32(truncatingIfNeeded: version)) }
        let count = Self.word(bytes, 16), pathBytes = Self.word(bytes, 24)
        let available = UInt64(bytes.count - Self.headerSize)
        // Compared before multiplying, so that no header value can overflow the arithmetic.
        guard count <= available / UInt64(8 + Self.recordSize), pathBytes <= available,
            count * UInt64(8 + Self.recordSize) + pathBytes == available
        else {
            throw .wrongLength(expected: "the header promises \(count) entries and \(pathBytes) bytes of paths", actual: bytes.count)
        }
        guard Self.checksum(bytes, from: Self.headerSize) == Self.word(bytes, 32) else { throw .checksumMismatch }
        let n = Int(count)
        recordsStart = Self.headerSize + 8 * n
        pathsStart = recordsStart + Self.recordSize * n
        var previousEnd: UInt64 = 0
        for i in 0..<n {
            guard Self.word(bytes, recordsStart + Self.recordSize * i + 8) <= UInt64(Int.max) else {
                throw .inconsistent("entry \(i) has a size beyond 2^63 - 1 bytes")
            }
            let end = Self.word(bytes, recordsStart + Self.recordSize * i + 16)
            guard end >= previousEnd, end <= pathBytes else { throw .inconsistent("path \(i) ends outside the path text") }
            let text = bytes[(pathsStart + Int(previousEnd))..<(pathsStart + Int(end))]
            guard String(validating: text, as: UTF8.self) != nil else { throw .inconsistent("path \(i) is not UTF-8") }
            previousEnd = end
        }
        guard previousEnd == pathBytes else { throw .inconsistent("the paths do not fill the path text") }
        self.bytes = bytes
        search = HammingSearch(hashes: (0..<n).map { Self.word(bytes, Self.headerSize + 8 * $0) })
    }

    /// Entry `i`, decoded from the file form.
    public func entry(_ i: Int) -> IndexEntry {
        let record = recordsStart + Self.recordSize * i
        let dimensions = Self.word(bytes, record)
        let end = Int(Self.word(bytes, record + 16))
        let start = i == 0 ? 0 : Int(Self.word(bytes, record - Self.recordSize + 16))
        return IndexEntry(
            path: String(decoding: bytes[(pathsStart + start)..<(pathsStart + end)], as: UTF8.self),
            hash: PHash(search.hashes[i]),
            width: Int(dimensions & 0xFFFF_FFFF), height: Int(dimensions >> 32),
            size: Int(truncatingIfNeeded: Self.word(bytes, record + 8)))
    }

    public var entries: [IndexEntry] { (0..<count).map(entry) }

    /// Entries within `maxDistance` bits of `hash`, nearest first (then in index order).
    public func matches(of hash: PHash, maxDistance: Int) -> [(entry: Int, distance: Int)] {
        search.neighbours(of: hash.value, within: maxDistance)
    }

    /// The file form of `entries`.
    public static func encode(_ entries: [IndexEntry]) throws(IndexFileError) -> [UInt8] {
        guard entries.count < Int(UInt32.max) else { throw .tooLarge("more than 2^32 - 1 entries") }
        var out = signature
        out.reserveCapacity(headerSize + entries.count * (8 + recordSize))
        var paths: [UInt8] = []
        for e in entries { paths += e.path.utf8 }
        append(UInt64(version), to: &out)
        append(UInt64(entries.count), to: &out)
        append(UInt64(paths.count), to: &out)
        append(0, to: &out)  // checksum, filled in below
        for e in entries { append(e.hash.value, to: &out) }
        var end = 0
        for e in entries {
            guard (0...Int(UInt32.max)).contains(e.width), (0...Int(UInt32.max)).contains(e.height), e.size >= 0 else {
                throw .tooLarge("\(e.path): width, height or size out of range")
            }
            end += e.path.utf8.count
            append(UInt64(e.width) | UInt64(e.height) << 32, to: &out)
            append(UInt64(e.size), to: &out)
            append(UInt64(end), to: &out)
        }
        out += paths
        let sum = checksum(out, from: headerSize)
        for k in 0..<8 { out[32 + k] = UInt8(truncatingIfNeeded: sum >> UInt64(8 * k)) }
        return out
    }

    /// An FNV-1a-style 64-bit checksum of the bytes from `start`: little-endian 64-bit words (each
    /// multiplied in and folded), then the last bytes one at a time.
    public static func checksum(_ bytes: [UInt8], from start: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x100_0000_01b3
        var i = start
        while i + 8 <= bytes.count {
            h = (h ^ word(bytes, i)) &* prime
            h ^= h >> 32
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* prime
            i += 1
        }
        return h
    }

    @inline(__always)
    static func word(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }.littleEndian
    }

    private static func append(_ value: UInt64, to out: inout [UInt8]) {
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    }
}
