import ArgumentParser
import ImageMetadata

/// `ikmeta phash FILE...`: ImageKit's pHash of each file (SPEC §4).
struct PhashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phash",
        abstract: "Print ImageKit's pHash of each image file.",
        discussion: """
            Prints one line per file, in input order: the 64-bit pHash ImageKit returns
            for the image as 16 lowercase hex digits, two spaces, and the path as given:
              63433b3ccf8e1ebe  first.jpg

            With --jsonl each file gets one JSON line instead:
              {"file":"<path>","pHash":"<hash>"}
              {"file":"<path>","error":{"message":"...","help":"..."}}

            Files that cannot be read are reported on stderr (and, with --jsonl, as an
            error line). Exit status: 0 when every file was hashed, 1 when any failed,
            2 for a usage error, 3 when the output could not be written.

            Examples:
              ikmeta phash photo.jpg
              ikmeta phash --jsonl *.jpg > hashes.jsonl
            """
    )

    @Flag(name: .long, help: "One JSON line per file.")
    var jsonl = false

    @Flag(name: .long, help: "Decode JPEGs at 1/2–1/8 scale: faster, but the hash may differ from ImageKit's by a few bits.")
    var fast = false

    @Argument(help: "Image files. The format is detected from the content, not the name.", completion: .file())
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one image file.") }
    }

    func run() throws {
        var failed = false
        for path in files {
            do throws(CommandFailure) {
                let hash = try LocalPHash.of(path: path, fast: fast)
                if jsonl {
                    try printOutput(JSONWriter.compact(.object(JSONObject([("file", .string(PathBytes.jsonText(path))), ("pHash", .string(hash.description))]))))
                } else {
                    try printOutput("\(hash)  \(PathBytes.display(path))")
                }
            } catch where error.status == outputFailureStatus {
                printError("ikmeta: \(error.message)")
                throw ExitCode(error.status)
            } catch {
                failed = true
                printError("ikmeta: \(error.message)")
                if jsonl {
                    let body = error.body ?? .object(JSONObject([("message", .string(error.message)), ("help", "")]))
                    do throws(CommandFailure) {
                        try printOutput(JSONWriter.compact(.object(JSONObject([("file", .string(PathBytes.jsonText(path))), ("error", body)]))))
                    } catch {
                        printError("ikmeta: \(error.message)")
                        throw ExitCode(error.status)
                    }
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
