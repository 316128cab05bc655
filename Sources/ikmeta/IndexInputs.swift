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
    /// Folders are walked without the work file's files and `writing`'s (the index being written).
    static func entries(_ inputs: [String], writing: String? = nil, workFile: String, settings: ReadSettings) throws
        -> (entries: [IndexEntry], skipped: Int)
    {
        var entries: [IndexEntry] = []
        var skipped = 0
        var images: [String] = []
        func flushImages() throws {
            guard !images.isEmpty else { return }
            var arguments = ["--jsonl", "--exact-file-names", "--output", workFile, "--jobs", String(settings.jobs)]
            if settings.quiet { arguments.append("--quiet") }
            if settings.resume { arguments.append("--resume") }
            if settings.fast { arguments.append("--fast") }
            if let writing { arguments += ["--leave-out", writing] }
            // Folders stay folders: the reader walks them (a list of every file as arguments would
            // be as long as the library).
            let read = try FoldedArguments.parse(arguments + ["--"] + images, with: ReadCommand.parse)
            do {
                try read.run()
            } catch let code as ExitCode where code == .failure {
                // Some files could not be read; their error lines are reported below.
            }
            let lines = try parseLines(workFile, showingLineNumbers: false, exactNames: true)
            // The lines are in the entries now; neither they nor their resume journal are needed.
            unlink(workFile)
            unlink(workFile + ".resume")
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
    /// which is taken for an image. Only a regular file is looked into (without blocking on a
    /// FIFO): anything else is left to the image reader, which refuses it with an error line.
    static func fileKind(_ path: String) -> Kind? {
        let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var head = [UInt8](repeating: 0, count: 8)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8) }
        if n == 8 && String(decoding: head, as: UTF8.self) == "IKMETAIX" { return .index }
        return n > 0 && head[0] == UInt8(ascii: "{") ? .jsonl : nil
    }

    /// Loads an index file; damage is a clear error (exit status 2). The header is read first and
    /// then no more than the length it promises (plus one byte, to tell a longer file), so that
    /// `/dev/zero` or an endless pipe given as an index cannot fill the memory.
    static func load(_ path: String) throws(CommandFailure) -> PHashIndex {
        let fd = path == "-" ? 0 : try FileSystem.openForReading(path, what: "index")
        defer { if fd != 0 { close(fd) } }
        func read(upTo limit: Int) throws(CommandFailure) -> [UInt8] {
            guard let bytes = FileSystem.readAll(descriptor: fd, limit: limit) else {
                throw CommandFailure("Cannot read \(PathBytes.jsonText(path)): \(String(cString: strerror(errno))).", status: 2)
            }
            return bytes
        }
        var bytes = try read(upTo: PHashIndex.headerSize - 1)
        if let promised = PHashIndex.promisedLength(header: bytes), promised > bytes.count {
            bytes += try read(upTo: promised - bytes.count)
        }
        do {
            return try PHashIndex(bytes: bytes)
        } catch {
            throw CommandFailure("\(path): \(error)", status: 2)
        }
    }

    /// Opens the index file `path` for writing before anything is read: a second run on the same
    /// index stops at its lock, and an index is never written over one of `inputs` (an image or
    /// a JSONL file) nor put in the place of a device or a link (README "Limits and safety"). The caller defers `discard()`.
    static func output(_ path: String, inputs: [String] = []) throws(CommandFailure) -> OutputFile {
        let overwritable = inputs.filter { fileKind($0) != .index }.map(Inputs.Item.file)
        let out = try OutputFile(path: path, resume: false, options: "", inputs: overwritable, journal: false)
        // Nor over any other file that holds something: an image found by walking a folder that
        // is an input is not among `inputs`, so a non-empty file that is not an index is kept.
        let target = FileSystem.followLinks(path) ?? path
        if let info = FileSystem.status(target), (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
            fileKind(target) != .index
        {
            out.discard()
            throw CommandFailure(
                "The output \(PathBytes.jsonText(path)) holds something that is not an ikmeta index; remove it or choose another name.",
                status: 2)
        }
        return out
    }

    /// Writes an index through `path.partial` and a rename (`OutputFile`), so `path` is never half
    /// written; a failed write leaves the old index in place (exit status 3).
    static func save(_ entries: [IndexEntry], to out: OutputFile) throws {
        try out.write(raw: try PHashIndex.encode(entries))
        try out.finish()
    }

    /// What tells two index entries' names apart: the bytes of the name as `read` writes it
    /// (`\xHH` for a byte that is not UTF-8). Compared as bytes, not as Swift strings, which would
    /// take the composed and decomposed spellings of `é` for one name. An entry made from the image
    /// and one from `read --jsonl` output thus name the same file; a name spelled with a literal
    /// `\xFF` and one with the byte 0xFF count as one (the later entry is kept).
    static func nameKey(_ path: String) -> [UInt8] { Array(PathBytes.jsonText(path).utf8) }

    /// Entries of a JSONL file of ikmeta records: `{"file":…,"metadata":{…,"pHash":…}}` from
    /// `read`, or `{"file":…,"pHash":…}` from `phash`. `exactNames`: the reader's own work file,
    /// whose names keep every byte (`--exact-file-names`).
    static func parseLines(_ path: String, showingLineNumbers: Bool = true, exactNames: Bool = false) throws(CommandFailure)
        -> (entries: [IndexEntry], skipped: Int)
    {
        let data = try readWholeFile(path, what: "JSONL file", limit: .max)
        var entries: [IndexEntry] = []
        var skipped = 0
        for (number, line) in data.split(separator: 0x0A).enumerated() {
            switch record(Array(line), exactNames: exactNames) {
            case .success(let entry): entries.append(entry)
            case .failure(let failure):
                skipped += 1
                printError("ikmeta: \(showingLineNumbers ? "\(path) line \(number + 1): " : "")\(failure.message)")
            }
        }
        return (entries, skipped)
    }

    /// One ikmeta JSON record as an index entry, or why it cannot be one. A name is text (a byte
    /// that is not UTF-8 stays the `\xHH` that `read` wrote) unless `exactNames`, where it is
    /// already a `PathBytes` string.
    static func record(_ line: [UInt8], exactNames: Bool = false) -> Result<IndexEntry, CommandFailure> {
        guard case .object(let record)? = try? JSONParser.parse(line) else {
            return .failure(CommandFailure("not a JSON object"))
        }
        let file: String
        if case .string(let f)? = record["file"] { file = exactNames ? f : PathBytes.string(f.utf8) } else { file = "" }
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
