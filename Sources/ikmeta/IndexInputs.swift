import ArgumentParser
import ImageMetadata
import PerceptualHash
import PerceptualHashIndex

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where index entries come from: images (read as `ikmeta read --jsonl` reads them, through its
/// output file, so `--jobs`, progress and `--resume` work the same), ikmeta's own JSONL output
/// (`read --jsonl`, `phash --jsonl`), or an existing index.
enum IndexInputs {
    /// Options passed on to `ikmeta read` for images.
    struct ReadSettings {
        var jobs: Int
        var quiet: Bool
        var resume: Bool
        var fast: Bool
    }

    /// Entries of `inputs` in input order. Images are read into `workFile` (kept as
    /// `workFile.partial` if the run is interrupted, for `--resume`; removed at the end).
    /// Files that could not be hashed are reported on stderr and left out; `skipped` counts them.
    static func entries(_ inputs: [String], workFile: String, settings: ReadSettings) throws -> (entries: [IndexEntry], skipped: Int) {
        var entries: [IndexEntry] = []
        var skipped = 0
        var images: [String] = []
        func flushImages() throws {
            guard !images.isEmpty else { return }
            var arguments = ["--jsonl", "--output", workFile, "--jobs", String(settings.jobs)]
            if settings.quiet { arguments.append("--quiet") }
            if settings.resume { arguments.append("--resume") }
            if settings.fast { arguments.append("--fast") }
            var read = try ReadCommand.parse(arguments + ["--"] + images)
            do {
                try read.run()
            } catch let code as ExitCode where code == .failure {
                // Some files could not be read; their error lines are reported below.
            }
            let lines = try parseLines(workFile, showingLineNumbers: false)
            unlink(workFile)
            entries += lines.entries
            skipped += lines.skipped
            images = []
        }
        for input in inputs {
            if let kind = fileKind(input) {
                try flushImages()
                switch kind {
                case .index: entries += try load(input).entries
                case .jsonl:
                    let parsed = try parseLines(input)
                    entries += parsed.entries
                    skipped += parsed.skipped
                }
            } else {
                images.append(input)
            }
        }
        try flushImages()
        return (entries, skipped)
    }

    enum Kind { case index, jsonl }

    /// An index file (by its signature) or JSONL (a first byte `{`); nil for anything else,
    /// which is taken for an image.
    static func fileKind(_ path: String) -> Kind? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 8)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8) }
        if n == 8 && String(decoding: head, as: UTF8.self) == "IKMETAIX" { return .index }
        return n > 0 && head[0] == UInt8(ascii: "{") ? .jsonl : nil
    }

    /// Loads an index file with one read; damage is a clear error (exit status 2).
    static func load(_ path: String) throws(CommandFailure) -> PHashIndex {
        let bytes = try readWholeFile(path, what: "index", limit: .max)
        do {
            return try PHashIndex(bytes: bytes)
        } catch {
            throw CommandFailure("\(path): \(error)", status: 2)
        }
    }

    /// Writes an index through `path.partial` and a rename, so `path` is never half written.
    static func save(_ entries: [IndexEntry], to path: String) throws {
        let bytes = try PHashIndex.encode(entries)
        let partial = path + ".partial"
        guard FileSystem.write(bytes, to: partial), rename(partial, path) == 0 else {
            throw CommandFailure("Cannot write the index \(path): \(String(cString: strerror(errno))).", status: 2)
        }
    }

    /// Entries of a JSONL file of ikmeta records: `{"file":…,"metadata":{…,"pHash":…}}` from
    /// `read`, or `{"file":…,"pHash":…}` from `phash`.
    static func parseLines(_ path: String, showingLineNumbers: Bool = true) throws(CommandFailure) -> (entries: [IndexEntry], skipped: Int) {
        let data = try readWholeFile(path, what: "JSONL file", limit: .max)
        var entries: [IndexEntry] = []
        var skipped = 0
        for (number, line) in data.split(separator: 0x0A).enumerated() {
            switch record(Array(line)) {
            case .success(let entry): entries.append(entry)
            case .failure(let failure):
                skipped += 1
                printError("ikmeta: \(showingLineNumbers ? "\(path) line \(number + 1): " : "")\(failure.message)")
            }
        }
        return (entries, skipped)
    }

    /// One ikmeta JSON record as an index entry, or why it cannot be one.
    static func record(_ line: [UInt8]) -> Result<IndexEntry, CommandFailure> {
        guard case .object(let record)? = try? JSONParser.parse(line) else {
            return .failure(CommandFailure("not a JSON object"))
        }
        let file: String
        if case .string(let f)? = record["file"] { file = f } else { file = "" }
        if case .object(let error)? = record["error"] {
            let message: String
            if case .string(let m)? = error["message"] { message = m } else { message = "an error record" }
            return .failure(CommandFailure("\(file): \(message)"))
        }
        var fields = record
        if case .object(let metadata)? = record["metadata"] { fields = metadata }
        guard case .string(let text)? = fields["pHash"] ?? record["pHash"], let hash = PHash(hex: text) else {
            return .failure(CommandFailure("\(file.isEmpty ? "the record" : file) has no valid \"pHash\""))
        }
        func integer(_ key: String) -> Int {
            if case .number(let v)? = fields[key], v >= 0, v <= 1e15 { return Int(v) }
            return 0
        }
        return .success(IndexEntry(path: file, hash: hash, width: integer("width"), height: integer("height"), size: integer("size")))
    }
}
