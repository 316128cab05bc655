import ArgumentParser
import ImageMetadata

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ikmeta [read] FILE...`: the metadata object of each file (SPEC §1).
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print ImageKit's metadata object for each file (the default command).",
        discussion: """
            Prints the object ImageKit's metadata API returns (height, width, size,
            format, hasColorProfile, quality, density, hasTransparency, exif, pHash)
            as compact JSON, byte for byte as ImageKit sends it, so that local and
            remote results can be compared.

            With one file the object is printed alone. With several files, a
            directory, --files-from or --jsonl, each file gets one line, in input
            order:
              {"file":"<path>","metadata":{...}}
              {"file":"<path>","error":{"message":"...","help":"..."}}
            Directories are walked recursively in sorted order; hidden entries are
            skipped. Files are read in parallel (--jobs) and printed in order.

            Animated and multi-page files give the pHash of their first frame or
            page, as ImageKit's pipeline (sharp 0.26) does; a multi-page TIFF's
            fields are those of its first page.

            Damage inside a readable file is reported on stderr; the fields that
            could be read are still printed. A file whose pHash cannot be computed
            (pixels libvips 8.10 would refuse) counts as failed: its object is printed
            without `pHash` and the reason goes to stderr. Exit status: 0 when every
            file was read, 1 when any failed, 2 for a usage error, 3 when ikmeta's own
            output failed (a write error, a locked or unwritable --output).

            '-' reads one image from standard input; its `file` field is "-".

            Only regular files are read: a FIFO, device or socket gets an error line.
            Symbolic links to directories are followed; each directory is walked once.
            With --output, FILE.resume records each line's file (size, mtime, inode)
            and options; --resume reuses only lines that still match, and reads error
            lines again.

            Examples:
              ikmeta photo.jpg
              curl -s https://example.com/a.jpg | ikmeta -
              ikmeta --pretty photo.jpg
              ikmeta --no-phash ~/Pictures > metadata.jsonl
              find . -name '*.jpg' | ikmeta --files-from - -o all.jsonl
              ikmeta --resume -o all.jsonl ~/Pictures   (after an interrupted run)
            """
    )

    @Flag(name: .long, help: "One JSON line per file, even for a single file.")
    var jsonl = false

    @Flag(name: .long, help: "Indent the JSON for people instead of ImageKit's compact form.")
    var pretty = false

    @Flag(name: .long, help: "Skip the pHash: read headers and EXIF only, without decoding pixels.")
    var noPhash = false

    @Flag(name: .long, help: "Decode JPEGs at 1/2–1/8 scale for the pHash: much faster, may differ from ImageKit by a few bits.")
    var fast = false

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Write the lines to this file (through FILE.partial, renamed into place at the end).", completion: .file())
    var output: String?

    @Flag(name: .long, help: "With --output: keep the lines an interrupted (or finished) run already wrote and read only the rest.")
    var resume = false

    @Flag(name: .shortAndLong, help: "No progress bar (it is shown only when stderr is a terminal and the output does not go to the same terminal).")
    var quiet = false

    /// Another output of the same run (`index build` passes the index it writes): folders are
    /// walked without its files too.
    @Option(name: .customLong("leave-out"), help: .private)
    var leaveOut: [String] = []

    /// For `index build` and `add`, which read the lines back: each `file` keeps every byte of
    /// its name (`PathBytes`' own form, still valid JSON) instead of `\xHH` text, so that names
    /// that differ only in bytes that are not UTF-8 stay apart and `duplicates --print0` gives
    /// the real name.
    @Flag(name: .customLong("exact-file-names"), help: .private)
    var exactFileNames = false

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        if pretty && (jsonl || resume) {
            throw ValidationError("--pretty writes records over several lines, which --jsonl and --resume cannot use; drop --pretty.")
        }
        if noPhash && fast { throw ValidationError("--fast and --no-phash exclude each other.") }
        if resume && output == nil { throw ValidationError("--resume needs --output FILE.") }
    }

    func run() throws {
        do {
            try readAll()
        } catch let failure as CommandFailure {
            printError("ikmeta: \(failure.message)")
            throw ExitCode(failure.status)
        }
    }

    private func readAll() throws {
        let items = try input.items(skipping: ([output] + leaveOut).flatMap(OutputFile.ownFiles))
        let singleObject = !jsonl && input.isSingleFile(items)
        let options = ReadOptions(pHash: noPhash ? .none : fast ? .fast : .exact, limits: limitOptions.limits)
        // What decides the content of a line, for --resume: the version, the pHash mode and the
        // limits that can turn a line into an error (not the time limit, nor --image-memory, which
        // changes nothing in the output).
        let l = options.limits
        let recipe = "ikmeta \(IKMeta.configuration.version) pHash=\(noPhash ? "none" : fast ? "fast" : "exact")"
            + " limits=\(l.fileSize),\(l.pixels),\(l.chunkSize),\(l.exifEntries),\(l.metadataBytes),\(l.jpegScans)"
        // The --files-from list is an input too: the output never replaces it (README "Limits and safety").
        let list = input.filesFrom.flatMap { $0 == "-" ? nil : Inputs.Item.file($0) }
        let out = try OutputFile(path: output, resume: resume, options: recipe, inputs: items + (list.map { [$0] } ?? []))
        let progress = Progress(total: items.count, quiet: quiet, outputToFile: output != nil)
        let pretty = self.pretty
        let previous = out.previous

        var failed = false
        var writeError: CommandFailure?
        let size: @Sendable (Int) -> Int = { index in
            if case .file(let path) = items[index] { return FileSystem.size(path) }
            return 0
        }
        orderedParallelMap(count: items.count, jobs: input.jobs, cost: size) { index -> Outcome in
            let item = items[index]
            guard case .file(let path) = item, output != nil, path != "-" else {
                return Outcome.read(item, options: options, singleObject: singleObject, pretty: pretty, exactFileNames: exactFileNames)
            }
            // Taken before the read, so that a file changed while it is read is read again next time.
            let identity = FileIdentity(path: path)
            if let earlier = previous?.line(for: Outcome.fileField(path, exact: exactFileNames), identity: identity) {
                return Outcome(line: earlier, failed: false, diagnostics: [], identity: identity)
            }
            var outcome = Outcome.read(item, options: options, singleObject: singleObject, pretty: pretty, exactFileNames: exactFileNames)
            if !outcome.failed { outcome.identity = identity }
            return outcome
        } emit: { index, outcome in
            if !outcome.diagnostics.isEmpty { progress.clear() }
            for message in outcome.diagnostics { printError(message) }
            failed = failed || outcome.failed
            do throws(CommandFailure) {
                if case .file(let path) = items[index] {
                    try out.write(outcome.line, file: Outcome.fileField(path, exact: exactFileNames), identity: outcome.identity)
                } else {
                    try out.write(outcome.line)
                }
            } catch {
                writeError = error
                return false
            }
            progress.advance()
            return true
        }
        if let writeError { throw writeError }
        try out.finish()
        if failed { throw ExitCode(1) }
    }
}

/// What one input produced: its output line (without newline) and messages for stderr.
struct Outcome: Sendable {
    var line: [UInt8]
    var failed: Bool
    var diagnostics: [String]
    /// The identity of a file read successfully with `--output`, for the resume journal.
    var identity: FileIdentity? = nil

    /// A line's `file`: the name as `\xHH` text for people, or with every byte kept (`--exact-file-names`).
    static func fileField(_ path: String, exact: Bool) -> String { exact ? path : PathBytes.jsonText(path) }

    static func read(_ item: Inputs.Item, options: ReadOptions, singleObject: Bool, pretty: Bool, exactFileNames: Bool) -> Outcome {
        let path: String
        let body: Result<MetadataResult, MetadataError>
        var failureText: String? = nil
        switch item {
        case .file(let p):
            path = p
            body = Result { () throws(MetadataError) in try InputOptions.read(p, options: options) }
        case .unreadable(let p, let reason):
            path = p
            body = .failure(.cannotOpen(path: p, errno: EACCES))
            failureText = reason
        }
        let record: JSONValue
        var diagnostics: [String] = []
        var failed = true
        switch body {
        case .success(let result):
            diagnostics = result.diagnostics.map { "ikmeta: \(path): \($0)" }
            // A pHash that was asked for and could not be computed fails the file (exit status 1);
            // the object is still printed, and the reason is among the diagnostics.
            failed = options.pHash != .none && result.metadata.pHash == nil
            let object = JSONValue.object(result.metadata.json)
            record = singleObject ? object : .object(JSONObject([("file", .string(fileField(path, exact: exactFileNames))), ("metadata", object)]))
        case .failure(let error):
            let body = failureText.map {
                JSONValue.object(JSONObject([("message", .string($0)), ("help", .string(error.help))]))
            } ?? error.json
            if singleObject { diagnostics = ["ikmeta: \(path): \(failureText ?? error.message)"] }
            record = singleObject ? body : .object(JSONObject([("file", .string(fileField(path, exact: exactFileNames))), ("error", body)]))
        }
        let line = pretty ? JSONWriter.prettyBytes(record) : JSONWriter.compactBytes(record)
        return Outcome(line: line, failed: failed, diagnostics: diagnostics)
    }
}
