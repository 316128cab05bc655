#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ImageMetadata

/// Writes one line to stderr (diagnostics and messages for people; stdout carries only JSON).
/// Control characters (ESC, CR, …) and the bytes of a path that are not UTF-8 are written as
/// `\xHH`, so that a file name cannot drive the terminal.
func printError(_ message: String) {
    writeAll(2, Array((PathBytes.display(message, keepNewlines: true) + "\n").utf8))
}

/// Writes text to stderr as it is (progress bar).
func writeStandardError(_ text: String) {
    writeAll(2, Array(text.utf8))
}

/// Writes every byte to a descriptor with as few `write` calls as the kernel allows, so that a
/// line is never interleaved with another writer's. Returns false when the descriptor fails.
@discardableResult
func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, $0.count - done) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        done += n
    }
    return true
}
