import ArgumentParser
import ImageMetadata

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct IKMeta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ikmeta",
        abstract: "Compute, offline, the metadata object ImageKit.io returns for an image.",
        discussion: """
            `ikmeta FILE...` is short for `ikmeta read FILE...` (a file named like a
            subcommand needs the long form or a path: `ikmeta ./compare`).

            Examples:
              ikmeta photo.jpg                        the object, as ImageKit sends it
              ikmeta --jsonl -o meta.jsonl ~/Photos   one line per file, in parallel
              ikmeta phash a.jpg b.png                pHash of each file
              ikmeta distance a.jpg 63433b3ccf8e1ebe  differing bits, files or hashes
              ikmeta compare photo.jpg response.json  local object vs a saved response
              ikmeta exif photo.jpg                   every EXIF tag, readable
              ikmeta index build ~/Photos -o lib.ikidx  a pHash index of a library
              ikmeta similar new.jpg --index lib.ikidx  near-copies of an image, exactly
              ikmeta duplicates lib.ikidx             groups of near-duplicates
            """,
        version: VersionText.firstLine,
        subcommands: [ReadCommand.self, PhashCommand.self, DistanceCommand.self, CompareCommand.self,
            ExifCommand.self, VerifyCommand.self, IndexCommand.self, SimilarCommand.self, DuplicatesCommand.self],
        defaultSubcommand: ReadCommand.self
    )

    /// Runs the command; usage errors exit with status 2 (the CLI contract), everything else
    /// as the command decides.
    static func main() {
        keepLargeBuffersOnTheHeap()
        ignoreWidthsThatHideTheHelp()
        // Past `ulimit -f` a write fails with EFBIG and is reported (a temporary file falls back or
        // fails clearly, the output exits 3); by default the signal would end the process.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try FoldedArguments.parse(rawArguments(), with: { try parseAsRoot($0) })
            try command.run()
        } catch {
            if exitCode(for: error) == .success {
                // `--help`, `help CMD`, `--version`, a completion script: written here, so that a
                // failed write exits 3 as every command's output does.
                let message = fullMessage(for: error)
                let text = message == VersionText.firstLine ? VersionText.full : message  // `--version`
                guard text.isEmpty || writeAll(1, Array((text + "\n").utf8)) else {
                    printError("ikmeta: Cannot write the output: \(String(cString: strerror(errno))).")
                    Glibc.exit(outputFailureStatus)
                }
                Glibc.exit(0)
            }
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// The arguments as their original bytes (`PathBytes`): `CommandLine.arguments` would replace
/// bytes that are not UTF-8, and a file name with them could not be opened.
private func rawArguments() -> [String] {
    (1..<Int(CommandLine.argc)).map { i in
        guard let argument = CommandLine.unsafeArgv[i] else { return "" }
        return PathBytes.string(UnsafeRawBufferPointer(start: argument, count: strlen(argument)))
    }
}

/// swift-argument-parser wraps help at `$COLUMNS`, and a width of 0 or less prints the help with
/// every description left out; such a value is dropped, so the terminal's width (or 80) is used.
private func ignoreWidthsThatHideTheHelp() {
    if let text = getenv("COLUMNS"), let width = Int(String(cString: text)), width <= 0 {
        unsetenv("COLUMNS")
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
