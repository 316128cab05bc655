import ArgumentParser
import ImageMetadata

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inputs every reading command takes, in one place: files, directories, `-` for an image on
/// standard input, `--files-from` lists and `--jobs`. A command adds `@OptionGroup var input:
/// InputOptions`, expands it with `items()`, and reads each path with `InputOptions.read`.
struct InputOptions: ParsableArguments {
    /// Most `--jobs`: one thread each, and far more than the files a machine reads at once.
    static let maxJobs = 1024

    // `.unconditional`: `-j -1` is a value to refuse, not a missing one.
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Files to read at once (1–1024); the default is the number of cores.")
    var jobs: Int = min(FileSystem.processorCount, InputOptions.maxJobs)

    @Option(name: .long, help: "Also read the paths listed in this file, one per line ('-' for standard input).", completion: .file())
    var filesFrom: String?

    @Argument(help: "Image files (\(ImageFormat.readableNames)), directories, or '-' for one image on standard input. The format is detected from the content, not the name.", completion: .file())
    var inputs: [String] = []

    func validate() throws {
        if inputs.isEmpty && filesFrom == nil { throw ValidationError("Give at least one image file or directory.") }
        if !(1...Self.maxJobs).contains(jobs) { throw ValidationError("--jobs must be between 1 and \(Self.maxJobs).") }
        if inputs.filter({ $0 == "-" }).count + (filesFrom == "-" ? 1 : 0) > 1 {
            throw ValidationError("Standard input can be read once: give '-' once, as an image or as --files-from, not both.")
        }
    }

    /// Files in the order their lines are printed (`Inputs.expand`); `-` stays `-`. Walked
    /// folders leave out the files in `skipping` (the run's own outputs).
    func items(skipping: [String] = []) throws -> [Inputs.Item] {
        try Inputs.expand(arguments: inputs, filesFrom: filesFrom, skipping: skipping)
    }

    /// Whether the run names exactly one file and nothing else, so that its object is printed alone.
    func isSingleFile(_ items: [Inputs.Item]) -> Bool {
        filesFrom == nil && inputs.count == 1 && items == [.file(inputs[0])]
    }

    /// Reads one input: the file at `path`, or the image on standard input for `-`.
    static func read(_ path: String, options: ReadOptions) throws(MetadataError) -> MetadataResult {
        guard path == "-" else { return try MetadataReader.read(path: path, options: options) }
        return try MetadataReader.read(bytes: try standardInput(limits: options.limits), options: options)
    }

    /// The image on standard input (`-`), at most `Limits.fileSize` bytes.
    static func standardInput(limits: Limits) throws(MetadataError) -> [UInt8] {
        let limit = limits.fileSize
        guard let bytes = FileSystem.readAll(descriptor: 0, limit: limit) else {
            throw MetadataError.cannotOpen(path: "-", errno: errno)
        }
        guard bytes.count <= limit else {
            throw MetadataError.overLimit(what: "file size in bytes", value: bytes.count, limit: limit)
        }
        return bytes
    }
}

extension Inputs.Item {
    /// The path as given or found, whatever became of it.
    var path: String {
        switch self {
        case .file(let path), .unreadable(let path, _): return path
        }
    }
}
