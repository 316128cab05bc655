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
            Prints the object ImageKit's metadata API returns (height, width, size, format,
            hasColorProfile, quality, density, hasTransparency, exif, pHash) as compact JSON,
            byte for byte as ImageKit sends it, so that local and remote results can be compared.

            With one file the object is printed alone. With several files, or with --jsonl, each
            file gets one line, in input order:
              {"file":"<path>","metadata":{...}}
              {"file":"<path>","error":{"message":"...","help":"..."}}

            Exit status: 0 when every file was read, 1 when any failed, 2 for a usage error.

            Examples:
              ikmeta photo.jpg
              ikmeta --pretty photo.jpg
              ikmeta --jsonl *.jpg *.png > metadata.jsonl
            """,
        version: ikmetaVersion
    )

    @Flag(name: .long, help: "One JSON line per file, {\"file\":…,\"metadata\":…} or {\"file\":…,\"error\":…} (the default for several files).")
    var jsonl = false

    @Flag(name: .long, help: "Indent the JSON for people instead of ImageKit's compact form.")
    var pretty = false

    @Argument(help: "Image files (JPEG or PNG).")
    var files: [String]

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
                    printError("ikmeta: \(path): \(error.message)\n\(error.help)")
                    record = error.json
                }
            }
            let text = pretty ? JSONWriter.pretty(record) : JSONWriter.compact(record)
            print(text)
        }
        if failed { throw ExitCode(1) }
    }
}

let ikmetaVersion = "0.1.0"

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { break }
            done += n
        }
    }
}
