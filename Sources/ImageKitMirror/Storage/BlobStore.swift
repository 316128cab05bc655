#if canImport(Glibc)
import Glibc
#endif

/// The file bytes under `--data`: `files/<versionId>` for committed versions, `tmp/` for uploads in
/// progress. Names on disk are generated ids only, so no user-chosen name or folder reaches the file system.
struct BlobStore: Sendable {
    let filesDirectory: String
    let tempDirectory: String

    init(dataDirectory: String) throws {
        filesDirectory = dataDirectory + "/files"
        tempDirectory = dataDirectory + "/tmp"
        for directory in [dataDirectory, filesDirectory, tempDirectory] {
            if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw StorageError.system("mkdir \(directory)", errno) }
        }
    }

    func path(of versionId: String) -> String { filesDirectory + "/" + versionId }

    /// A new empty file in `tmp/`, open for writing.
    func makeTemporary() throws -> TemporaryFile {
        let path = tempDirectory + "/upload-" + RandomID.hex(count: 16)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.system("create \(path)", errno) }
        return TemporaryFile(path: path, descriptor: fd)
    }

    /// Makes a complete, synced temporary file the bytes of `versionId`: rename, then sync the
    /// directory so the new name survives a crash (issue "Durability").
    func commit(_ file: TemporaryFile, as versionId: String) throws {
        try file.finish()
        guard rename(file.path, path(of: versionId)) == 0 else { throw StorageError.system("rename", errno) }
        syncDirectory(filesDirectory)
    }

    func remove(_ versionId: String) { unlink(path(of: versionId)) }

    /// The start-up recovery pass: every unfinished upload goes; then every committed file that no
    /// record names. Returns how many files were removed.
    func recover(keeping versionIds: Set<String>) -> Int {
        var removed = 0
        for name in Self.list(tempDirectory) where unlink(tempDirectory + "/" + name) == 0 { removed += 1 }
        for name in Self.list(filesDirectory) where !versionIds.contains(name) {
            if unlink(filesDirectory + "/" + name) == 0 { removed += 1 }
        }
        syncDirectory(filesDirectory)
        return removed
    }

    func exists(_ versionId: String) -> Bool {
        var info = stat()
        return stat(path(of: versionId), &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    private static func list(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

/// An upload being written to `tmp/`; bytes are appended as they arrive, never held whole in memory.
final class TemporaryFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32
    private(set) var size = 0

    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw StorageError.system("write \(path)", errno) }
            offset += n
        }
        size += bytes.count
    }

    /// fsync and close; the bytes are on disk when this returns.
    func finish() throws {
        guard descriptor >= 0 else { return }
        defer { close(descriptor); descriptor = -1 }
        guard fsync(descriptor) == 0 else { throw StorageError.system("fsync \(path)", errno) }
    }

    /// Removes a file that will not be committed.
    func discard() {
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        unlink(path)
    }
}

enum StorageError: Error, CustomStringConvertible {
    case system(String, Int32)

    var description: String {
        switch self {
        case .system(let what, let code): return "\(what): \(String(cString: strerror(code)))"
        }
    }
}

/// Random identifiers: fileIds look like ImageKit's (24 hex digits, a MongoDB ObjectId).
enum RandomID {
    static func hex(count: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[Int.random(in: 0..<16)] })
    }

    /// An ObjectId-like id: 8 hex digits of seconds since 1970, then 16 random ones.
    static func objectId() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let seconds = String(UInt32(truncatingIfNeeded: now.tv_sec), radix: 16)
        return String(repeating: "0", count: 8 - seconds.count) + seconds + hex(count: 16)
    }

    static func alphanumeric(count: Int) -> String {
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in characters.randomElement()! })
    }
}
