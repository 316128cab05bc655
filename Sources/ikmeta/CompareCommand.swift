import ArgumentParser
import ImageMetadata

/// `ikmeta compare FILE RESPONSE.json`: the local metadata object against a saved ImageKit response.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare an image's local metadata with a saved ImageKit response.",
        discussion: """
            RESPONSE.json is what ImageKit returned for the same image: the bare
            metadata object (GET /v1/files/:fileId/metadata, GET /v1/metadata?url=...)
            or an upload or file-details response whose `metadata` key holds it.

            Prints one line per field: its name, `equal`, `within tolerance` or
            `different`, and the local and response values. `exif` is compared entry
            by entry and every differing path is listed (exif.image.Make,
            exif.gps.GPSLatitude[2], ...), key order included. `pHash` agrees when the
            two hashes differ in at most --tolerance bits; its line gives the distance.

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

    @Argument(help: "The image file.")
    var file: String

    @Argument(help: "The saved ImageKit response (JSON); '-' reads standard input.")
    var response: String

    func run() throws {
        try Self.report(file: file, options: comparison) { () throws(CommandFailure) in
            try CompareCommand.loadResponse(response)
        }
    }

    /// Compares `file` with the metadata object `remote` gives and prints the result: the output
    /// and exit status of `compare`, shared with `verify`.
    static func report(file: String, options: ComparisonOptions, remote: () throws(CommandFailure) -> JSONObject) throws {
        let comparison: MetadataComparison
        do throws(CommandFailure) {
            let response = try remote()
            let local: MetadataResult
            do {
                local = try ImageMetadata.read(path: file, options: LocalPHash.options(fast: options.fast))
            } catch {
                throw CommandFailure("\(PathBytes.jsonText(file)): \(error.message)", status: 2)
            }
            for diagnostic in local.diagnostics { printError("ikmeta: \(file): \(diagnostic)") }
            comparison = MetadataComparison(local: local.metadata.json, response: response, tolerance: options.tolerance)
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

    /// The metadata object of a saved response (`-` for standard input): the value of its
    /// `metadata` key when it has one, else the response itself.
    static func loadResponse(_ path: String) throws(CommandFailure) -> JSONObject {
        try metadataObject(in: try readWholeFile(path), from: path)
    }

    /// The metadata object in a response body; `path` names where it came from in errors.
    static func metadataObject(in bytes: [UInt8], from path: String) throws(CommandFailure) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw CommandFailure("\(path): \(error)", status: 2)
        }
        guard case .object(let object) = value else {
            throw CommandFailure("\(path): the response is not a JSON object.", status: 2)
        }
        if case .object(let metadata)? = object["metadata"] { return metadata }
        if object["height"] == nil, object["width"] == nil, case .string(let message)? = object["message"] {
            throw CommandFailure("\(path): the response is an ImageKit error, not metadata: \(message)", status: 2)
        }
        return object
    }
}

/// How `compare` and `verify` judge agreement.
struct ComparisonOptions: ParsableArguments {
    @Option(name: .long, help: "Most differing pHash bits that still count as agreeing.")
    var tolerance = 2

    @Flag(name: .long, help: "Decode JPEGs at 1/2–1/8 scale: faster, but the pHash may differ by a few bits.")
    var fast = false

    func validate() throws {
        if !(0...64).contains(tolerance) { throw ValidationError("--tolerance must be between 0 and 64.") }
    }
}
