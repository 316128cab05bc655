#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ImageMetadata

/// Where result lines go: stdout, or `--output FILE` written as `FILE.partial` and renamed into
/// place when the run completes, so FILE never holds half a run. With `--resume`, lines of an
/// earlier interrupted run (FILE.partial, FILE.previous) or a finished one (FILE) are reused for
/// the files they name, so a killed run restarts where it stopped and ends with the same output.
final class OutputFile {
    private let path: String?
    private let descriptor: Int32
    /// Lines of earlier runs (with `--resume`).
    private(set) var previous: PreviousLines?

    init(path: String?, resume: Bool) throws {
        self.path = path
        guard let path else {
            descriptor = 1
            return
        }
        let partial = path + ".partial"
        if resume {
            previous = try PreviousLines.consolidate(into: path + ".previous", from: [path, path + ".previous", partial])
        }
        descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure("Cannot write \(partial): \(String(cString: strerror(errno))).")
        }
    }

    /// Writes one line (a newline is added) with a single write where the kernel allows.
    func write(_ line: [UInt8]) throws {
        guard writeAll(descriptor, line + [0x0A]) else {
            throw CommandFailure("Cannot write the output: \(String(cString: strerror(errno))).")
        }
    }

    /// Makes the output durable and moves it into place.
    func finish() throws {
        guard let path else { return }
        guard fsync(descriptor) == 0, close(descriptor) == 0, rename(path + ".partial", path) == 0 else {
            throw CommandFailure("Cannot move the output into place at \(path): \(String(cString: strerror(errno))).")
        }
        unlink(path + ".previous")
    }
}

/// Complete lines of earlier runs, indexed by their `"file"` value.
final class PreviousLines: Sendable {
    private let data: [UInt8]
    /// Where each file's line is, and whether it records an error.
    private let index: [String: (range: Range<Int>, failed: Bool)]

    private init(data: [UInt8]) {
        self.data = data
        var index: [String: (range: Range<Int>, failed: Bool)] = [:]
        var start = 0
        data.withUnsafeBufferPointer { bytes in
            for i in 0..<bytes.count where bytes[i] == 0x0A {
                if case .object(let record)? = try? JSONParser.parse(Array(bytes[start..<i])),
                    case .string(let file)? = record["file"], index[file] == nil
                {
                    index[file] = (start..<i, record["error"] != nil)
                }
                start = i + 1
            }
        }
        self.index = index
    }

    /// The complete line an earlier run wrote for `file`, and whether it is an error line.
    func line(for file: String) -> (line: [UInt8], failed: Bool)? {
        index[file].map { (Array(data[$0.range]), $0.failed) }
    }

    /// Gathers the complete lines of every existing source into `target` (written through a
    /// temporary file and a rename), removes the sources other than `target`, and indexes it.
    static func consolidate(into target: String, from sources: [String]) throws -> PreviousLines {
        var merged: [UInt8] = []
        for source in sources {
            guard let d = FileSystem.read(source) else { continue }
            if let lastNewline = d.lastIndex(of: 0x0A) { merged += d[...lastNewline] }
        }
        let temporary = target + ".tmp"
        guard FileSystem.write(merged, to: temporary), rename(temporary, target) == 0
        else { throw CommandFailure("Cannot write \(target) to resume from.") }
        for source in sources where source != target && source != sources.first { unlink(source) }
        return PreviousLines(data: merged)
    }
}
