import ArgumentParser
import ImageMetadata
import PerceptualHashIndex

/// `ikmeta index build|add|remove|list`: a file of paths and pHashes for `similar` and `duplicates`.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build and update a pHash index of an image library for `similar` and `duplicates`.",
        discussion: """
            An index (.ikidx) holds, per image, its path, pHash, width, height and
            size in bytes, in a compact checksummed file that loads with one read.

            Examples:
              ikmeta index build ~/Photos -o library.ikidx
              ikmeta read --jsonl ~/Photos > meta.jsonl; ikmeta index build meta.jsonl -o library.ikidx
              ikmeta index add library.ikidx ~/Photos/2026
              ikmeta index remove library.ikidx ~/Photos/old.jpg
              ikmeta index list library.ikidx
            """,
        subcommands: [Build.self, Add.self, Remove.self, List.self]
    )

    /// The options shared by `build` and `add` for reading images.
    struct ReadOptionGroup: ParsableArguments {
        // `.unconditional`: `-j -1` is a value to refuse, not a missing one.
        @Option(name: .shortAndLong, parsing: .unconditional, help: "Files to read at once (1–1024); the default is the number of cores.")
        var jobs: Int = min(FileSystem.processorCount, InputOptions.maxJobs)

        @Flag(name: .shortAndLong, help: "No progress bar (it is shown only when stderr is a terminal).")
        var quiet = false

        @Flag(name: .long, help: "Decode JPEGs at 1/2–1/8 scale: faster, but hashes may differ from ImageKit's by a few bits.")
        var fast = false

        func validate() throws {
            if !(1...InputOptions.maxJobs).contains(jobs) { throw ValidationError("--jobs must be between 1 and \(InputOptions.maxJobs).") }
        }

        func settings(resume: Bool = false) -> IndexInputs.ReadSettings {
            .init(jobs: jobs, quiet: quiet, resume: resume, fast: fast)
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Make an index of images, directories, ikmeta JSONL output or other indexes.",
            discussion: """
                Images are read as `ikmeta read` reads them (every format it reads,
                directories walked recursively); a file starting with `{` is taken as
                ikmeta JSONL (`read --jsonl` or `phash --jsonl` lines), an .ikidx file as
                an index. A path given twice keeps its last entry. Files that cannot be
                hashed are reported on stderr and left out (exit status 1); the index is
                still written. The index is never written over an input; while it is
                written it is locked, so a second run on it stops with status 3 (as does
                a failed write, which keeps the old index).
                """
        )

        @Option(name: .shortAndLong, help: "The index file to write (through FILE.partial, renamed into place).")
        var output: String

        @OptionGroup var read: ReadOptionGroup

        @Flag(name: .long, help: "Keep the images an interrupted run already read (from INDEX.lines.partial) and read only the rest.")
        var resume = false

        @Argument(help: "Images, directories, JSONL files or indexes.")
        var inputs: [String] = []

        func validate() throws {
            if inputs.isEmpty { throw ValidationError("Give at least one image, directory or JSONL file.") }
        }

        func run() throws {
            try reportingFailures {
                let out = try IndexInputs.output(output, inputs: inputs)
                defer { out.discard() }
                let found = try IndexInputs.entries(inputs, writing: output, workFile: output + ".lines", settings: read.settings(resume: resume))
                let entries = lastEntryPerPath(found.entries)
                try IndexInputs.save(entries, to: out)
                printError("ikmeta: \(output): \(entries.count) images indexed\(found.skipped > 0 ? ", \(found.skipped) left out" : "").")
                if found.skipped > 0 { throw ExitCode(1) }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add images (or JSONL records) to an index; a path already in it is updated.")

        @OptionGroup var read: ReadOptionGroup

        @Flag(name: .long, help: "Keep the images an interrupted run already read (from INDEX.lines.partial) and read only the rest.")
        var resume = false

        @Argument(help: "The index to update.")
        var index: String

        @Argument(help: "Images, directories, JSONL files or indexes to add.")
        var inputs: [String] = []

        func validate() throws {
            if inputs.isEmpty { throw ValidationError("Give at least one image, directory or JSONL file to add.") }
        }

        func run() throws {
            try reportingFailures {
                // Locked before it is read, so that two updates at once cannot lose one of them.
                let out = try IndexInputs.output(index, inputs: inputs)
                defer { out.discard() }
                let existing = try IndexInputs.load(index)
                let found = try IndexInputs.entries(inputs, writing: index, workFile: index + ".lines", settings: read.settings(resume: resume))
                let entries = lastEntryPerPath(existing.entries + found.entries)
                try IndexInputs.save(entries, to: out)
                printError("ikmeta: \(index): \(entries.count - existing.count) added, \(found.entries.count - (entries.count - existing.count)) updated\(found.skipped > 0 ? ", \(found.skipped) left out" : "").")
                if found.skipped > 0 { throw ExitCode(1) }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove entries from an index by path (as stored), or every entry under a directory path.",
            discussion: "Paths not in the index are reported on stderr (exit status 1); the others are still removed.")

        @Option(name: .long, help: "Also remove the paths listed in this file, one per line ('-' for standard input).")
        var filesFrom: String?

        @Argument(help: "The index to update.")
        var index: String

        @Argument(help: "Paths as stored in the index; a path ending in / removes everything under it.")
        var paths: [String] = []

        func validate() throws {
            if paths.isEmpty && filesFrom == nil { throw ValidationError("Give at least one path to remove.") }
        }

        func run() throws {
            try reportingFailures {
                let out = try IndexInputs.output(index)
                defer { out.discard() }
                let existing = try IndexInputs.load(index)
                let targets = paths + (try filesFrom.map(Inputs.readList) ?? [])
                let keys = targets.map(IndexInputs.nameKey)
                let exact = Set(keys.filter { $0.last != UInt8(ascii: "/") })
                let prefixes = keys.filter { $0.last == UInt8(ascii: "/") }
                var used = Set<[UInt8]>()
                let kept = existing.entries.filter { entry in
                    let key = IndexInputs.nameKey(entry.path)
                    if exact.contains(key) {
                        used.insert(key)
                        return false
                    }
                    if let p = prefixes.first(where: key.starts) {
                        used.insert(p)
                        return false
                    }
                    return true
                }
                try IndexInputs.save(kept, to: out)
                let missing = zip(targets, keys).filter { !used.contains($0.1) }.map(\.0)
                for path in missing { printError("ikmeta: \(path): not in \(index)") }
                printError("ikmeta: \(index): \(existing.count - kept.count) removed, \(kept.count) left.")
                if !missing.isEmpty { throw ExitCode(1) }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Print every entry of an index as a JSON line.",
            discussion: """
                One line per entry, in index order (unknown dimensions and sizes are null):
                  {"file":"<path>","pHash":"<hash>","width":W,"height":H,"size":S}
                The lines can be given back to `index build`.
                """)

        @Argument(help: "The index to print.")
        var index: String

        func run() throws {
            try reportingFailures {
                let loaded = try IndexInputs.load(index)
                for i in 0..<loaded.count {
                    try printOutput(JSONWriter.compactBytes(.object(JSONObject(entryFields(loaded.entry(i))))) + [0x0A])
                }
            }
        }
    }
}

/// Entries with one per name (`IndexInputs.nameKey`): the last one given, at the position of the first.
func lastEntryPerPath(_ entries: [IndexEntry]) -> [IndexEntry] {
    var position: [[UInt8]: Int] = [:]
    var out: [IndexEntry] = []
    for entry in entries {
        let key = IndexInputs.nameKey(entry.path)
        if let p = position[key] {
            out[p] = entry
        } else {
            position[key] = out.count
            out.append(entry)
        }
    }
    return out
}

/// The JSON fields of an entry; 0 (unknown) dimensions and sizes are null.
func entryFields(_ entry: IndexEntry, distance: Int? = nil) -> [(String, JSONValue)] {
    func known(_ v: Int) -> JSONValue { v > 0 ? .number(Double(v)) : .null }
    var fields: [(String, JSONValue)] = [("file", .string(PathBytes.jsonText(entry.path))), ("pHash", .string(entry.hash.description))]
    if let distance { fields.append(("distance", .number(Double(distance)))) }
    return fields + [("width", known(entry.width)), ("height", known(entry.height)), ("size", known(entry.size))]
}

/// Runs `body`, printing a `CommandFailure` on stderr and exiting with its status.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        printError("ikmeta: \(failure.message)")
        throw ExitCode(failure.status)
    }
}
