import ArgumentParser
import ImageMetadata

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ikmeta exif FILE...`: every EXIF tag of each file, readable (README "EXIF view").
struct ExifCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exif",
        abstract: "Show every EXIF tag of each file, with libexif's descriptions.",
        discussion: """
            Reads EXIF from JPEG (APP1), PNG (eXIf, or ImageMagick's "Raw profile
            type exif" text chunk), WebP (EXIF chunk), TIFF (its own IFDs) and HEIC
            and AVIF (the Exif item, through libheif).

            Every entry is listed, unknown tags (by hex id), FLOAT/DOUBLE and empty
            entries included, with libexif's description ("1/160 sec.", "Top-left")
            and the raw value beside it where the two differ. MakerNotes are decoded
            by libexif for Canon, Olympus, Nikon, Sanyo, Epson, Fujifilm, Pentax,
            Casio and Apple; other makers' MakerNotes are shown by size. GPS is also
            given in decimal degrees, metres and UTC.

            On a terminal each file gets a table (coloured unless NO_COLOR is set);
            otherwise (or with --json) each file gets one JSON line:
              {"file":"<path>","source":"JPEG APP1","byteOrder":"big","tags":[...],...}
              {"file":"<path>","error":{"message":"...","help":"..."}}
            A file without EXIF has "tags": []. Damage inside the EXIF data is reported
            on stderr (and as "diagnostics"); the tags that could be read are listed.
            Exit status: 0 when every file was read, 1 when any failed, 2 for a usage
            error, 3 when the output could not be written.

            Examples:
              ikmeta exif photo.jpg
              ikmeta exif --json ~/Pictures > exif.jsonl
              ikmeta exif --extract-thumbnail thumbs/ *.jpg
            """
    )

    @Flag(name: .long, help: "One JSON line per file (the default when stdout is not a terminal).")
    var json = false

    @Flag(name: .long, help: "Tables for people even when stdout is not a terminal.")
    var table = false

    @Option(name: .long, help: ArgumentHelp(
        "Write each embedded thumbnail to DIR as <file name>.thumb.jpg; existing files are never replaced.",
        valueName: "DIR"))
    var extractThumbnail: String?

    @OptionGroup var input: InputOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        if json && table { throw ValidationError("--json and --table exclude each other.") }
        if let dir = extractThumbnail, !FileSystem.isDirectory(dir) {
            throw ValidationError("--extract-thumbnail needs an existing directory; \(dir) is not one.")
        }
    }

    func run() throws {
        let items: [Inputs.Item]
        do {
            items = try input.items()
        } catch let failure as CommandFailure {
            printError("ikmeta: \(failure.message)")
            throw ExitCode(failure.status)
        }
        let terminal = isatty(1) == 1
        let asTable = table || (!json && terminal)
        let style = ExifViewFormat.Style(colour: asTable && terminal && getenv("NO_COLOR") == nil)
        let limits = limitOptions.limits
        var failed = false
        var writeError: Int32? = nil
        orderedParallelMap(count: items.count, jobs: input.jobs) { index -> Result<ExifView, ExifFailure> in
            switch items[index] {
            case .file(let path):
                do throws(MetadataError) {
                    return .success(try path == "-"
                        ? ExifViewReader.read(bytes: try InputOptions.standardInput(limits: limits), limits: limits)
                        : ExifViewReader.read(path: path, limits: limits))
                } catch {
                    return .failure(ExifFailure(message: "\(path): \(error.message)", json: error.json))
                }
            case .unreadable(_, let reason):
                return .failure(ExifFailure(
                    message: reason, json: .object(JSONObject([("message", .string(reason)), ("help", "")]))))
            }
        } emit: { index, result in
            let path: String
            switch items[index] {
            case .file(let p), .unreadable(let p, _): path = p
            }
            var text: String
            switch result {
            case .success(let view):
                for d in view.diagnostics { printError("ikmeta: \(path): \(d)") }
                if let dir = extractThumbnail, let thumbnail = view.thumbnail, !save(thumbnail, of: path, in: dir) {
                    failed = true
                }
                // Names as `ikmeta read` writes them: `\xHH` for bytes that are not UTF-8 in JSON,
                // control characters escaped too in a table (README "Limits and safety").
                text = asTable
                    ? ExifViewFormat.table(file: PathBytes.display(path), view: view, style: style)
                    : ExifViewFormat.jsonLine(file: PathBytes.jsonText(path), view: view)
            case .failure(let failure):
                failed = true
                printError("ikmeta: \(failure.message)")
                text = asTable ? "" : JSONWriter.compact(.object(JSONObject([("file", .string(PathBytes.jsonText(path))), ("error", failure.json)])))
            }
            if asTable && !text.isEmpty && index > 0 { text = "\n" + text }  // a blank line between tables
            if text.isEmpty || writeAll(1, Array((text + (asTable ? "" : "\n")).utf8)) { return true }
            writeError = errno
            return false
        }
        if let writeError {
            // Exit status 3, as in every command (README "Usage").
            printError("ikmeta: Cannot write the output: \(String(cString: strerror(writeError))).")
            throw ExitCode(outputFailureStatus)
        }
        if failed { throw ExitCode(1) }
    }

    struct ExifFailure: Error {
        var message: String
        var json: JSONValue
    }

    /// Writes the thumbnail of `path` into `dir` under a name made of safe characters; an
    /// existing file is left alone and reported.
    private func save(_ thumbnail: ExifThumbnail, of path: String, in dir: String) -> Bool {
        let base = path.split(separator: "/").last.map(String.init) ?? "image"
        var safe = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        while safe.hasPrefix(".") { safe.removeFirst() }
        if safe.isEmpty { safe = "image" }
        let target = (dir.hasSuffix("/") ? dir : dir + "/") + safe + (thumbnail.format == "jpeg" ? ".thumb.jpg" : ".thumb.bin")
        if FileSystem.exists(target) {
            printError("ikmeta: \(path): the thumbnail was not written: \(target) already exists.")
            return false
        }
        guard FileSystem.write(thumbnail.bytes, to: target, replace: false) else {
            printError("ikmeta: \(path): cannot write the thumbnail to \(target): \(String(cString: strerror(errno))).")
            return false
        }
        return true
    }
}
