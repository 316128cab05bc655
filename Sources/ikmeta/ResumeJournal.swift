#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ImageMetadata

/// What identifies the content of an input file without reading it: where it is (device, inode),
/// its size and its modification time to the nanosecond.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var mtime: String

    var place: [UInt64] { [device, inode] }

    init?(path: String) {
        guard let info = FileSystem.status(path) else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        mtime = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    init(device: UInt64, inode: UInt64, size: Int, mtime: String) {
        (self.device, self.inode, self.size, self.mtime) = (device, inode, size, mtime)
    }
}

/// One line of `FILE.resume`: which file a line of FILE describes, its identity and the options
/// when it was read, and a checksum of the line.
struct JournalRecord: Equatable {
    var file: String
    var options: String
    var identity: FileIdentity
    var checksum: String

    var bytes: [UInt8] {
        JSONWriter.compactBytes(.object(JSONObject([
            ("file", .string(file)), ("options", .string(options)),
            ("device", .string(String(identity.device))), ("inode", .string(String(identity.inode))),
            ("size", .string(String(identity.size))), ("mtime", .string(identity.mtime)), ("line", .string(checksum)),
        ])))
    }

    init(file: String, options: String, identity: FileIdentity, checksum: String) {
        (self.file, self.options, self.identity, self.checksum) = (file, options, identity, checksum)
    }

    init?(_ line: ArraySlice<UInt8>) {
        guard case .object(let o)? = try? JSONParser.parse(Array(line)),
            case .string(let file)? = o["file"], case .string(let options)? = o["options"],
            case .string(let device)? = o["device"], let device = UInt64(device),
            case .string(let inode)? = o["inode"], let inode = UInt64(inode),
            case .string(let size)? = o["size"], let size = Int(size),
            case .string(let mtime)? = o["mtime"], case .string(let checksum)? = o["line"]
        else { return nil }
        self.init(file: file, options: options,
            identity: FileIdentity(device: device, inode: inode, size: size, mtime: mtime), checksum: checksum)
    }

    /// FNV-1a, 64 bits, of a line, in hex.
    static func checksum<C: Collection>(_ line: C) -> String where C.Element == UInt8 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in line { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return String(h, radix: 16)
    }
}

/// Complete lines of earlier runs that may be reused, indexed by their `"file"` value and kept in
/// `FILE.previous`, read back one line at a time: memory holds the index, not the lines.
final class PreviousLines: Sendable {
    /// Longest output line read back (a record with a very large EXIF object).
    static let maxLine = 256 << 20
    private let descriptor: Int32
    private let index: [String: (offset: Int, length: Int, identity: FileIdentity)]

    private init(descriptor: Int32, index: [String: (offset: Int, length: Int, identity: FileIdentity)]) {
        self.descriptor = descriptor
        self.index = index
    }

    deinit { close(descriptor) }

    /// The line an earlier run wrote for `file` when the file still has the same identity.
    func line(for file: String, identity: FileIdentity?) -> [UInt8]? {
        guard let entry = index[file], let identity, entry.identity == identity else { return nil }
        var line = [UInt8](repeating: 0, count: entry.length)
        let n = line.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, entry.length, off_t(entry.offset)) }
        return n == entry.length ? line : nil
    }

    /// Copies into `target.previous` every complete line of `target`, `target.previous` and
    /// `target.partial` that `target.resume` vouches for (same options, same checksum, a success),
    /// the first for each file; rewrites the journal with their records, and indexes them.
    static func consolidate(target: String, options: String) throws(CommandFailure) -> PreviousLines {
        var records: [String: [JournalRecord]] = [:]
        forEachLine(of: target + ".resume") { line in
            if let record = JournalRecord(line), record.options == options { records[record.file, default: []].append(record) }
        }
        let previous = target + ".previous", temporary = previous + ".tmp"
        let out = PathBytes.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        guard out >= 0 else { throw CommandFailure("Cannot write \(PathBytes.jsonText(temporary)) to resume from.", status: outputFailureStatus) }
        var index: [String: (offset: Int, length: Int, identity: FileIdentity)] = [:]
        var kept: [JournalRecord] = []
        var offset = 0, failed = false
        for source in [target, previous, target + ".partial"] {
            forEachLine(of: source) { line in
                guard !failed, case .object(let o)? = try? JSONParser.parse(Array(line)), o["metadata"] != nil,
                    case .string(let file)? = o["file"], index[file] == nil else { return }
                let sum = JournalRecord.checksum(line)
                guard let record = records[file]?.last(where: { $0.checksum == sum }) else { return }
                failed = !writeAll(out, Array(line) + [0x0A])
                index[file] = (offset, line.count, record.identity)
                kept.append(record)
                offset += line.count + 1
            }
        }
        let journal = target + ".resume", journalTemporary = journal + ".tmp"
        let renamed = !failed && close(out) == 0 && FileSystem.replace(previous, with: temporary)
            && FileSystem.write(kept.flatMap { $0.bytes + [0x0A] }, to: journalTemporary)
            && FileSystem.replace(journal, with: journalTemporary)
        if failed { close(out) }
        let fd = PathBytes.withCString(previous) { open($0, O_RDONLY | O_CLOEXEC) }
        guard renamed, fd >= 0 else {
            throw CommandFailure("Cannot write \(PathBytes.jsonText(previous)) to resume from: \(String(cString: strerror(errno))).",
                status: outputFailureStatus)
        }
        return PreviousLines(descriptor: fd, index: index)
    }

    /// Calls `body` with each complete line of a regular file (none when it is missing or not a
    /// regular file); reading stops at a line longer than `maxLine`.
    private static func forEachLine(of path: String, _ body: (ArraySlice<UInt8>) -> Void) {
        let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW) }
        guard fd >= 0 else { return }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        var reader = LineReader(descriptor: fd, maxLength: maxLine)
        while let next = try? reader.next(), next.complete { body(next.line) }
    }
}
