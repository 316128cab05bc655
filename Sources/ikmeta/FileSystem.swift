#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole content of a file, a pipe (`/dev/fd/N`) or, for `-`, standard input; at most `limit` bytes.
func readWholeFile(_ path: String, limit: Int = 256 << 20) throws(CommandFailure) -> [UInt8] {
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw CommandFailure("Cannot open \(path): \(String(cString: strerror(errno))).", status: 2)
    }
    defer { if fd != 0 { close(fd) } }
    var info = stat()
    if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        throw CommandFailure("\(path) is a directory, not a JSON file.", status: 2)
    }
    guard let bytes = FileSystem.readAll(descriptor: fd, limit: limit) else {
        throw CommandFailure("Cannot read \(path): \(String(cString: strerror(errno))).", status: 2)
    }
    if bytes.count > limit { throw CommandFailure("\(path) is larger than \(limit >> 20) MiB.", status: 2) }
    return bytes
}

/// The few file-system calls the command line needs, straight from the C library so that the
/// tool starts without loading Foundation.
enum FileSystem {
    enum Kind { case file, directory, symbolicLinkToDirectory, other }

    /// What `path` is, following a final symbolic link only to tell a link to a directory apart.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK:
            var target = stat()
            return stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFDIR ? .symbolicLinkToDirectory : .file
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// Whether `path` is a directory (following links).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory, without `.` and `..`, unsorted; nil when it cannot be listed.
    static func list(_ directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether anything exists at `path` (a file, a directory, …), following symbolic links.
    /// The size in bytes of what `path` names, or 0 when it cannot be found.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The bytes of a descriptor until its end, or until more than `limit` were read; nil on a
    /// read error (`errno` says which).
    static func readAll(descriptor: Int32, limit: Int = .max) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while out.count <= limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// The whole file, or nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(descriptor: fd)
    }

    /// Writes `bytes` to a new file at `path` (replacing it, unless `replace` is false: then an
    /// existing file is left alone and the write fails); false on failure.
    static func write(_ bytes: [UInt8], to path: String, replace: Bool = true) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | (replace ? O_TRUNC : O_EXCL) | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let ok = writeAll(fd, bytes)
        return close(fd) == 0 && ok
    }

    /// Cores the process may run on.
    static var processorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
