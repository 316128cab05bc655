#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines of a descriptor, read 64 KiB at a time so that memory holds one line, never the file.
/// A line longer than `maxLength` bytes is an error: a list of paths or an output line cannot be
/// that long, and `/dev/zero` must not grow a line without end.
struct LineReader {
    enum Failure: Error {
        case tooLong(line: Int)
        case readError(errno: Int32)
    }

    private let descriptor: Int32
    private let maxLength: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Lines returned so far.
    private(set) var lineNumber = 0
    /// Bytes of the lines returned so far, newlines included (the offset of the next line).
    private(set) var consumed = 0

    init(descriptor: Int32, maxLength: Int) {
        self.descriptor = descriptor
        self.maxLength = maxLength
    }

    /// The next line without its newline (and whether a newline ended it), or nil at the end.
    mutating func next() throws(Failure) -> (line: ArraySlice<UInt8>, complete: Bool)? {
        var searchFrom = start
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                consumed += newline + 1 - start
                start = newline + 1
                lineNumber += 1
                return (line, true)
            }
            if buffer.count - start > maxLength { throw .tooLong(line: lineNumber + 1) }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                consumed += buffer.count - start
                start = buffer.count
                lineNumber += 1
                return (line, false)
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            searchFrom = buffer.count
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .readError(errno: errno) }
            if n == 0 { atEnd = true } else { buffer += chunk[0..<n] }
        }
    }
}
