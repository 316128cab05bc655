#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random access to the bytes of one input. Containers read only the pieces they need, so a
/// header parse touches a few kilobytes even of a gigabyte file.
package protocol ByteSource: AnyObject {
    /// Total length in bytes.
    var count: Int { get }
    /// Up to `length` bytes starting at `offset`; fewer at the end of the data, none past it.
    func bytes(at offset: Int, length: Int) -> [UInt8]
}

extension ByteSource {
    /// Exactly `length` bytes at `offset`, or nil when the data ends first.
    func exactly(at offset: Int, length: Int) -> [UInt8]? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        let b = bytes(at: offset, length: length)
        return b.count == length ? b : nil
    }
}

/// Bytes held in memory (tests, small inputs).
package final class MemoryByteSource: ByteSource {
    package let data: [UInt8]
    package init(_ data: [UInt8]) { self.data = data }
    package var count: Int { data.count }
    package func bytes(at offset: Int, length: Int) -> [UInt8] {
        guard offset >= 0, length > 0, offset < data.count else { return [] }
        return Array(data[offset..<min(data.count, offset + min(length, data.count - offset))])
    }
}

/// An open file read with `pread`; the descriptor is closed when the value goes away.
package final class FileByteSource: ByteSource {
    package let path: String
    package let count: Int
    let descriptor: Int32

    package init(path: String) throws(MetadataError) {
        self.path = path
        // O_NONBLOCK: a FIFO or a device opens without waiting; fstat then refuses it before any read.
        let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw MetadataError.cannotOpen(path: path, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw MetadataError.cannotOpen(path: path, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw (info.st_mode & S_IFMT) == S_IFDIR
                ? MetadataError.isDirectory(path: path) : MetadataError.notARegularFile(path: path)
        }
        descriptor = fd
        count = Int(info.st_size)
    }

    deinit { close(descriptor) }

    package func bytes(at offset: Int, length: Int) -> [UInt8] {
        guard offset >= 0, length > 0, offset < count else { return [] }
        let wanted = min(length, count - offset)
        // Read straight into the array's uninitialised storage; it keeps the bytes that came.
        return [UInt8](unsafeUninitializedCapacity: wanted) { buffer, filled in
            filled = 0
            while filled < wanted {
                let n = pread(descriptor, buffer.baseAddress! + filled, wanted - filled, off_t(offset + filled))
                if n > 0 { filled += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
    }
}

/// Big- and little-endian integers from byte arrays, bounds-checked (nil when short).
extension Array where Element == UInt8 {
    func u16be(_ i: Int) -> Int? {
        guard i >= 0, i + 2 <= count else { return nil }
        return Int(self[i]) << 8 | Int(self[i + 1])
    }
    func u32be(_ i: Int) -> Int? {
        guard i >= 0, i + 4 <= count else { return nil }
        return Int(self[i]) << 24 | Int(self[i + 1]) << 16 | Int(self[i + 2]) << 8 | Int(self[i + 3])
    }
    func hasPrefix(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
        guard offset >= 0, offset + prefix.count <= count else { return false }
        for (i, b) in prefix.enumerated() where self[offset + i] != b { return false }
        return true
    }
}
