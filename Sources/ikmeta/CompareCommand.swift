import ArgumentParser
import ImageMetadata

/// `ikmeta compare FILE RESPONSE.json`: the local metadata object against a saved ImageKit response.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare an image's local metadata with a saved ImageKit response.",
        discussion: """
            RESPONSE.json is what ImageKit returned for the same image, as saved:
              - the API's metadata body (GET /v1/files/{fileId}/metadata,
                GET /v1/metadata?url=...);
              - an upload result made with responseFields=metadata, whose `metadata`
                key holds the object;
              - either of these written by ImageKit's Python SDK: to_dict() or
                to_json() (keys sorted) or model_dump() (snake_case names such as
                has_color_profile and p_hash).
            File-details results and uploads without responseFields=metadata carry
            no metadata object: they exit with status 2 and say how to get one.

            Prints one line per field: its name, `equal`, `within tolerance` or
            `different`, and the local and response values. Fields are matched by
            name whatever their order or spelling. `exif` is compared entry by
            entry and every differing path is listed (exif.image.Make,
            exif.gps.GPSLatitude[2], ...). `pHash` agrees when the two hashes differ
            in at most --tolerance bits; its line gives the distance. Key order is
            one line of its own: it counts for the API's own body, and for SDK
            output (which sorts keys) only with --strict-order.

            Exit status (as diff's): 0 when every field agrees, 1 when any differs,
            2 when the comparison could not be made (unreadable image, unreadable or
            invalid JSON response, usage error), 3 when the output could not be written.

            Examples:
              ikmeta compare photo.jpg response.json
              ikmeta compare --tolerance 0 photo.jpg upload-response.json
              curl -s -u "$KEY:" "$API/v1/files/$ID/metadata" | ikmeta compare photo.jpg -
            """
    )

    @OptionGroup var comparison: ComparisonOptions

    @Argument(help: "The image file.", completion: .file())
    var file: String

    @Argument(help: "The saved ImageKit response (JSON); '-' reads standard input.", completion: .file())
    var response: String

    func run() throws {
        try Self.report(file: file, options: comparison) { () throws(CommandFailure) in
            try SavedResponse.load(response)
        }
    }

    /// Compares `file` with the metadata object `remote` gives and prints the result: the output
    /// and exit status of `compare`, shared with `verify`.
    static func report(file: String, options: ComparisonOptions, remote: () throws(CommandFailure) -> SavedResponse) throws {
        let comparison: MetadataComparison
        do throws(CommandFailure) {
            let remote = try remote()
            let local: MetadataResult
            do {
                local = try MetadataReader.read(path: file, options: LocalPHash.options(fast: options.fast))
            } catch {
                throw CommandFailure("\(PathBytes.jsonText(file)): \(error.message)", status: 2)
            }
            for diagnostic in local.diagnostics { printError("ikmeta: \(file): \(diagnostic)") }
            let localObject = local.metadata.json
            let responseObject = remote.shape == .apiBody
                ? remote.metadata : SavedResponse.aligned(remote.metadata, to: localObject)
            comparison = MetadataComparison(local: localObject, response: responseObject, tolerance: options.tolerance,
                countKeyOrder: options.strictOrder || remote.shape.keepsImageKitOrder,
                orderNote: "the response is \(remote.shape.name); --strict-order counts it")
        } catch {
            printError("ikmeta: \(error.message)")
            throw ExitCode(error.status)
        }
        do throws(CommandFailure) {
            for line in comparison.lines() { try printOutput(line) }
        } catch {
            printError("ikmeta: \(error.message)")
            throw ExitCode(error.status)
        }
        if !comparison.agrees { throw ExitCode(1) }
    }
}

/// How `compare` and `verify` judge agreement.
struct ComparisonOptions: ParsableArguments {
    @Option(name: .long, help: "Most differing pHash bits that still count as agreeing.")
    var tolerance = 2

    @Flag(name: .long, help: "Decode JPEGs at 1/2–1/8 scale: faster, but the pHash may differ by a few bits.")
    var fast = false

    @Flag(name: .long, help: "Count a different key order as a difference even in a response the Python SDK re-sorted.")
    var strictOrder = false

    func validate() throws {
        if !(0...64).contains(tolerance) { throw ValidationError("--tolerance must be between 0 and 64.") }
    }
}
