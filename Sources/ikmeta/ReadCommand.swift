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

            Damage inside a readable file is reported on stderr; the fields that
            could be read are still printed. Exit status: 0 when every file was
            read, 1 when any failed, 2 for a usage error.

            Examples:
              ikmeta photo.jpg
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

    @Option(name: .shortAndLong, help: "Files to read at once; the default is the number of cores.")
    var jobs: Int = FileSystem.processorCount

    @Option(name: .long, help: "Also read the paths listed in this file, one per line ('-' for standard input).", completion: .file())
    var filesFrom: String?

    @Option(name: .shortAndLong, help: "Write the lines to this file (through FILE.partial, renamed into place at the end).", completion: .file())
    var output: String?

    @Flag(name: .long, help: "With --output: keep the lines an interrupted (or finished) run already wrote and read only the rest.")
    var resume = false

    @Flag(name: .shortAndLong, help: "No progress bar (it is shown only when stderr is a terminal).")
    var quiet = false

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    @Argument(help: "Image files (JPEG or PNG) or directories. The format is detected from the content, not the name.", completion: .file())
    var inputs: [String] = []

    func validate() throws {
        if inputs.isEmpty && filesFrom == nil { throw ValidationError("Give at least one image file or directory.") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
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
        let items = try Inputs.expand(arguments: inputs, filesFrom: filesFrom)
        let singleObject = !jsonl && filesFrom == nil && items.count == 1 && inputs.count == 1
            && items.first == .file(inputs[0])
        let options = ReadOptions(pHash: noPhash ? .none : fast ? .fast : .exact, limits: limitOptions.limits)
        let out = try OutputFile(path: output, resume: resume)
        let progress = Progress(total: items.count, quiet: quiet)
        let pretty = self.pretty
        let previous = out.previous

        var failed = false
        var writeError: Error?
        let size: @Sendable (Int) -> Int = { index in
            if case .file(let path) = items[index] { return FileSystem.size(path) }
            return 0
        }
        orderedParallelMap(count: items.count, jobs: jobs, cost: size) { index -> Outcome in
            let item = items[index]
            if case .file(let path) = item, let earlier = previous?.line(for: path) {
                return Outcome(line: earlier.line, failed: earlier.failed, diagnostics: [])
            }
            return Outcome.read(item, options: options, singleObject: singleObject, pretty: pretty)
        } emit: { index, outcome in
            if !outcome.diagnostics.isEmpty { progress.clear() }
            for message in outcome.diagnostics { printError(message) }
            failed = failed || outcome.failed
            do {
                try out.write(outcome.line)
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

    static func read(_ item: Inputs.Item, options: ReadOptions, singleObject: Bool, pretty: Bool) -> Outcome {
        let path: String
        let body: Result<MetadataResult, MetadataError>
        var failureText: String? = nil
        switch item {
        case .file(let p):
            path = p
            body = Result { () throws(MetadataError) in try ImageMetadata.read(path: p, options: options) }
        case .unreadable(let p, let reason):
            path = p
            body = .failure(.cannotOpen(path: p, errno: EACCES))
            failureText = reason
        }
        let record: JSONValue
        var diagnostics: [String] = []
        switch body {
        case .success(let result):
            diagnostics = result.diagnostics.map { "ikmeta: \(path): \($0)" }
            let object = JSONValue.object(result.metadata.json)
            record = singleObject ? object : .object(JSONObject([("file", .string(path)), ("metadata", object)]))
        case .failure(let error):
            let body = failureText.map {
                JSONValue.object(JSONObject([("message", .string($0)), ("help", .string(error.help))]))
            } ?? error.json
            if singleObject { diagnostics = ["ikmeta: \(path): \(failureText ?? error.message)"] }
            record = singleObject ? body : .object(JSONObject([("file", .string(path)), ("error", body)]))
        }
        let line = pretty ? JSONWriter.prettyBytes(record) : JSONWriter.compactBytes(record)
        return Outcome(line: line, failed: !body.isSuccess, diagnostics: diagnostics)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
