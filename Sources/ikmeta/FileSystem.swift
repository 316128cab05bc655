#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether anything exists at `path` (a file, a directory, …), following symbolic links.
func pathExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

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
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n == 0 { break }
        if n < 0 {
            if errno == EINTR { continue }
            throw CommandFailure("Cannot read \(path): \(String(cString: strerror(errno))).", status: 2)
        }
        bytes.append(contentsOf: chunk[0..<n])
        if bytes.count > limit { throw CommandFailure("\(path) is larger than \(limit >> 20) MiB.", status: 2) }
    }
    return bytes
}
