#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ikmeta [COMMAND] …`: dispatches to the commands; `ikmeta FILE…` is `ikmeta read FILE…`.
@main
enum IKMeta {
    static let version = "0.1.0"

    static let commands: [(name: String, abstract: String)] = [
        ("read (default)", ReadCommand.spec.abstract), ("phash", PhashCommand.spec.abstract),
        ("distance", DistanceCommand.spec.abstract), ("compare", CompareCommand.spec.abstract),
    ]

    static let help = """
        OVERVIEW: Compute, offline, the metadata object ImageKit.io returns for an image.

        `ikmeta FILE...` is short for `ikmeta read FILE...` (a file named like a
        subcommand needs the long form or a path: `ikmeta ./compare`).

        Examples:
          ikmeta photo.jpg                        the object, as ImageKit sends it
          ikmeta --jsonl -o meta.jsonl ~/Photos   one line per file, in parallel
          ikmeta phash a.jpg b.png                pHash of each file
          ikmeta distance a.jpg 63433b3ccf8e1ebe  differing bits, files or hashes
          ikmeta compare photo.jpg response.json  local object vs a saved response

        USAGE: ikmeta <subcommand>

        OPTIONS:

        """ + CommandLineSpec.row("--version", "Show the version.") + CommandLineSpec.row("-h, --help", "Show this help.")
        + "\nSUBCOMMANDS:\n" + commands.map { CommandLineSpec.row($0.name, $0.abstract) }.joined()
        + "\n  See 'ikmeta help <subcommand>' for detailed help.\n"

    /// Runs the command; usage errors exit with status 2 (the CLI contract), everything else
    /// as the command decides.
    static func main() {
        keepLargeBuffersOnTheHeap()
        do {
            try run(Array(CommandLine.arguments.dropFirst()))
        } catch {
            switch error {
            case .help(let text):
                writeAll(1, Array(text.utf8))
            case .usage(let text):
                printError(text)
                exit(2)
            case .status(let status):
                exit(status)
            }
        }
    }

    static func run(_ words: [String]) throws(CommandLineExit) {
        switch words.first {
        case "--version": print(version)
        case "-h", "--help": throw .help(help)
        case "help":
            guard words.count > 1 else { throw .help(help) }
            guard let spec = spec(of: words[1]) else { throw .usage("Error: Unknown subcommand '\(words[1])'.\n" + help) }
            throw .help(spec.helpText())
        case "read": try ReadCommand(words.dropFirst()).run()
        case "phash": try PhashCommand(words.dropFirst()).run()
        case "distance": try DistanceCommand(words.dropFirst()).run()
        case "compare": try CompareCommand(words.dropFirst()).run()
        default: try ReadCommand(words[...]).run()
        }
    }

    static func spec(of command: String) -> CommandLineSpec? {
        [ReadCommand.spec, PhashCommand.spec, DistanceCommand.spec, CompareCommand.spec].first { $0.name == "ikmeta " + command }
    }
}

/// Decoders allocate large buffers per image (a progressive JPEG's coefficients, tens of MB).
/// glibc serves those with mmap and returns them with munmap, and every munmap stalls the other
/// worker threads while the kernel flushes their TLBs; with the thresholds raised they are reused
/// from the heap. Peak memory is unchanged; on the benchmark's photo set `--jobs 2` took 0.36–0.44 s
/// instead of 0.39–0.42 s (best of four 0.36 s against 0.39 s).
private func keepLargeBuffersOnTheHeap() {
    #if canImport(Glibc)
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in <malloc.h>
    _ = mallopt(mmapThreshold, 256 << 20)
    _ = mallopt(trimThreshold, 256 << 20)
    #endif
}

#if canImport(Glibc)
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
