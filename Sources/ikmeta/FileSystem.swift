#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ImageMetadata

/// The whole content of a file, a pipe (`/dev/fd/N`) or, for `-`, standard input; at most `limit` bytes.
func readWholeFile(_ path: String, what: String = "JSON file", limit: Int = 256 << 20) throws(CommandFailure) -> [UInt8] {
    let fd = path == "-" ? 0 : try FileSystem.openForReading(path, what: what)
    defer { if fd != 0 { close(fd) } }
    guard let bytes = FileSystem.readAll(descriptor: fd, limit: limit) else {
        throw CommandFailure("Cannot read \(PathBytes.jsonText(path)): \(String(cString: strerror(errno))).", status: 2)
    }
    if bytes.count > limit { throw CommandFailure("\(PathBytes.jsonText(path)) is larger than \(limit >> 20) MiB.", status: 2) }
    return bytes
}

/// The few file-system calls the command line needs, straight from the C library so that the
/// tool starts without loading Foundation. Every path is passed to the system as its original
/// bytes (`PathBytes`).
enum FileSystem {
    enum Kind { case file, directory, symbolicLinkToDirectory, other }

    /// `stat` (following links) or `lstat` of a path; nil when it fails.
    static func status(_ path: String, followingLinks: Bool = true) -> stat? {
        var info = stat()
        let ok = PathBytes.withCString(path) { followingLinks ? stat($0, &info) : lstat($0, &info) } == 0
        return ok ? info : nil
    }

    /// What `path` is, following a final symbolic link only to tell a link to a directory apart.
    static func kind(_ path: String) -> Kind? {
        guard let info = status(path, followingLinks: false) else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return isDirectory(path) ? .symbolicLinkToDirectory : .file
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// Whether `path` is a directory (following links).
    static func isDirectory(_ path: String) -> Bool {
        status(path).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }

    /// The names in a directory, without `.` and `..`, unsorted; nil when it cannot be listed.
    static func list(_ directory: String) -> [String]? {
        guard let handle = PathBytes.withCString(directory, { opendir($0) }) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(handle) {
            // The name ends at its NUL: glibc's entry may be shorter than the declared 256-byte array.
            let start = UnsafeRawPointer(entry) + nameOffset
            let length = strlen(start.assumingMemoryBound(to: CChar.self))
            let bytes = UnsafeRawBufferPointer(start: start, count: length)
            if bytes.elementsEqual([0x2E]) || bytes.elementsEqual([0x2E, 0x2E]) { continue }
            names.append(PathBytes.string(bytes))
        }
        return names
    }

    /// The size in bytes of what `path` names, or 0 when it cannot be found.
    static func size(_ path: String) -> Int {
        status(path).map { Int($0.st_size) } ?? 0
    }

    /// Whether anything exists at `path` (a file, a directory, …), following symbolic links.
    static func exists(_ path: String) -> Bool {
        status(path) != nil
    }

    /// Opens a list or a JSON file given by name for reading without blocking on a FIFO that has
    /// no writer; refuses a directory. Pipes, FIFOs and terminals are then read normally.
    static func openForReading(_ path: String, what: String) throws(CommandFailure) -> Int32 {
        let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else {
            throw CommandFailure("Cannot open \(PathBytes.jsonText(path)): \(String(cString: strerror(errno))).", status: 2)
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CommandFailure("\(PathBytes.jsonText(path)) is a directory, not a \(what).", status: 2)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
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

    /// Cores the process may run on.
    static var processorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

extension FileSystem {
    /// The path a chain of symbolic links at `path` leads to (the path itself when it is no link),
    /// whether or not the last target exists yet; nil after 40 links (a loop).
    static func followLinks(_ path: String) -> String? {
        var current = path
        for _ in 0..<40 {
            guard let info = status(current, followingLinks: false), (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var target = [CChar](repeating: 0, count: 4097)
            let n = PathBytes.withCString(current) { readlink($0, &target, 4096) }
            guard n > 0 else { return nil }
            let next = PathBytes.string(target[0..<n].map { UInt8(bitPattern: $0) })
            if next.hasPrefix("/") {
                current = next
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + next
            } else {
                current = next
            }
        }
        return nil
    }

    /// Writes `bytes` to a new file at `path` (replacing it unless `replace` is false, never through a
    /// link); false on failure, with a new file (`replace` false) removed again.
    static func write(_ bytes: [UInt8], to path: String, replace: Bool = true) -> Bool {
        let flags = O_WRONLY | O_CREAT | (replace ? O_TRUNC : O_EXCL) | O_CLOEXEC | O_NOFOLLOW
        let fd = PathBytes.withCString(path) { open($0, flags, 0o644) }
        guard fd >= 0 else { return false }
        let written = writeAll(fd, bytes)
        let ok = close(fd) == 0 && written
        if !ok && !replace {
            // A file this call made is not left half written (a full disk, `ulimit -f`).
            let code = errno
            _ = PathBytes.withCString(path) { unlink($0) }
            errno = code
        }
        return ok
    }

    /// Renames `temporary` over `path`; false on failure.
    static func replace(_ path: String, with temporary: String) -> Bool {
        PathBytes.withCString(temporary) { from in PathBytes.withCString(path) { rename(from, $0) } } == 0
    }
}
