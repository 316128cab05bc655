import ArgumentParser
import ImageMetadata

/// `ikmeta [read] FILE...`: the metadata object of each file (SPEC §1).
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print ImageKit's metadata object for each file (the default command).",
        discussion: """
            Prints the object ImageKit's metadata API returns (height, width, size, format,
            hasColorProfile, quality, density, hasTransparency, exif, pHash) as compact JSON,
            byte for byte as ImageKit sends it, so that local and remote results can be compared.

            With one file the object is printed alone. With several files, or with --jsonl, each
            file gets one line, in input order:
              {"file":"<path>","metadata":{...}}
              {"file":"<path>","error":{"message":"...","help":"..."}}

            Damage inside a readable file is reported on stderr; the fields that could be read
            are still printed. Exit status: 0 when every file was read, 1 when any failed,
            2 for a usage error.

            Examples:
              ikmeta photo.jpg
              ikmeta --pretty photo.jpg
              ikmeta --jsonl *.jpg *.png > metadata.jsonl
            """
    )

    @Flag(name: .long, help: "One JSON line per file (the default for several files).")
    var jsonl = false

    @Flag(name: .long, help: "Indent the JSON for people instead of ImageKit's compact form.")
    var pretty = false

    @Argument(help: "Image files (JPEG or PNG). The format is detected from the content, not the name.")
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one image file.") }
    }

    func run() throws {
        let lines = jsonl || files.count > 1
        var failed = false
        for path in files {
            let record: JSONValue
            do {
                let result = try ImageMetadata.read(path: path)
                for diagnostic in result.diagnostics { printError("ikmeta: \(path): \(diagnostic)") }
                let object = JSONValue.object(result.metadata.json)
                record = lines ? .object(JSONObject([("file", .string(path)), ("metadata", object)])) : object
            } catch {
                failed = true
                if lines {
                    record = .object(JSONObject([("file", .string(path)), ("error", error.json)]))
                } else {
                    printError("ikmeta: \(path): \(error.message)")
                    record = error.json
                }
            }
            print(pretty ? JSONWriter.pretty(record) : JSONWriter.compact(record))
        }
        if failed { throw ExitCode(1) }
    }
}
