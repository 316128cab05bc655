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

            Inputs are given as for `ikmeta read`: files, directories (walked
            recursively in sorted order), '-' for an image on standard input,
            --files-from lists; --jobs files are hashed at once, printed in order.
            Files that cannot be read are reported on stderr (and, with --jsonl, as an
            error line). Exit status: 0 when every file was hashed, 1 when any failed,
            2 for a usage error, 3 when the output could not be written.

            Examples:
              ikmeta phash photo.jpg
              ikmeta phash --jsonl -j 4 ~/Pictures > hashes.jsonl
              cat photo.jpg | ikmeta phash -
            """
    )

    @Flag(name: .long, help: "One JSON line per file.")
    var jsonl = false

    @Flag(name: .long, help: "Decode JPEGs at 1/2–1/8 scale: faster, but the hash may differ from ImageKit's by a few bits.")
    var fast = false

    @OptionGroup var input: InputOptions

    func run() throws {
        do {
            try hashAll()
        } catch let failure as CommandFailure {
            printError("ikmeta: \(failure.message)")
            throw ExitCode(failure.status)
        }
    }

    private func hashAll() throws {
        let items = try input.items()
        let fast = self.fast
        var failed = false
        var outputError: CommandFailure?
        orderedParallelMap(count: items.count, jobs: input.jobs, cost: { FileSystem.size(items[$0].path) }) { index in
            switch items[index] {
            case .file(let path):
                return Result { () throws(CommandFailure) in try LocalPHash.of(path: path, fast: fast) }
            case .unreadable(let path, let reason):
                return .failure(CommandFailure("\(PathBytes.display(path)): \(reason)"))
            }
        } emit: { index, result in
            let file = PathBytes.jsonText(items[index].path)
            do throws(CommandFailure) {
                switch result {
                case .success(let hash):
                    try printOutput(jsonl
                        ? JSONWriter.compact(.object(JSONObject([("file", .string(file)), ("pHash", .string(hash.description))])))
                        : "\(hash)  \(PathBytes.display(items[index].path))")
                case .failure(let error):
                    failed = true
                    printError("ikmeta: \(error.message)")
                    if jsonl {
                        let body = error.body ?? .object(JSONObject([("message", .string(error.message)), ("help", "")]))
                        try printOutput(JSONWriter.compact(.object(JSONObject([("file", .string(file)), ("error", body)]))))
                    }
                }
            } catch {
                outputError = error
                return false
            }
            return true
        }
        if let outputError { throw outputError }
        if failed { throw ExitCode(1) }
    }
}
