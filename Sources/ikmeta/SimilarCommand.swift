import ArgumentParser
import ImageMetadata
import PerceptualHash
import PerceptualHashIndex

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ikmeta similar QUERY… --index FILE`: the indexed images within a pHash distance of each query.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find the indexed images within a pHash distance of an image or a hash.",
        discussion: """
            Each QUERY is an image file (hashed as `ikmeta phash` does), a pHash (1–16
            hex digits), or `-`: ikmeta JSONL records on standard input (`read --jsonl`
            or `phash --jsonl` lines; each record's file names the query).

            Matches are printed nearest first (then in index order), every match of
            every query, exactly: the search misses no entry within the distance.
            Text: distance, pHash and path, under a `QUERY:` line when there are
            several queries. With --jsonl, one line per match:
              {"query":"<query>","file":"<path>","pHash":"<hash>","distance":D}

            Exit status (like grep): 0 when anything matched, 1 when nothing did,
            2 on an error (an unreadable index or query), 3 when the output could
            not be written.

            Examples:
              ikmeta similar new.jpg --index library.ikidx
              ikmeta similar 63433b3ccf8e1ebe --index library.ikidx --max-distance 4
              ikmeta read --jsonl uploads/ | ikmeta similar - --index library.ikidx --jsonl
            """
    )

    @Option(name: .long, help: "The index to search (made with `ikmeta index build`).")
    var index: String

    @Option(name: .long, help: "The largest number of differing bits that counts as similar (0–64).")
    var maxDistance: Int = 8

    @Flag(name: .long, help: "One JSON line per match.")
    var jsonl = false

    @Flag(name: .long, help: "Decode JPEG queries at 1/2–1/8 scale: faster, but may differ from ImageKit by a few bits.")
    var fast = false

    @Argument(help: "Image files, pHashes, or - for JSONL records on standard input.")
    var queries: [String] = []

    func validate() throws {
        if queries.isEmpty { throw ValidationError("Give at least one query: an image file, a pHash, or -.") }
        if !(0...64).contains(maxDistance) { throw ValidationError("--max-distance must be 0 to 64.") }
        if queries.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input (-) can be given once.") }
    }

    func run() throws {
        var matched = false, failed = false
        try reportingFailures {
            let library = try IndexInputs.load(index)
            let hashed = try hashedQueries()
            for (number, query) in hashed.enumerated() {
                switch query.hash {
                case .failure(let failure):
                    failed = true
                    printError("ikmeta: \(failure.message)")
                case .success(let hash):
                    let matches = library.matches(of: hash, maxDistance: maxDistance)
                    matched = matched || !matches.isEmpty
                    if !jsonl && hashed.count > 1 {
                        // Names in text as `ikmeta phash` prints them: control characters escaped.
                        try printOutput("\(number > 0 ? "\n" : "")\(PathBytes.display(query.name)):")
                    }
                    for match in matches {
                        let entry = library.entry(match.entry)
                        if jsonl {
                            try printOutput(JSONWriter.compact(.object(JSONObject([
                                ("query", .string(PathBytes.jsonText(query.name))), ("file", .string(PathBytes.jsonText(entry.path))),
                                ("pHash", .string(entry.hash.description)), ("distance", .number(Double(match.distance))),
                            ]))))
                        } else {
                            try printOutput("\(match.distance)\t\(entry.hash)\t\(PathBytes.display(entry.path))")
                        }
                    }
                }
            }
        }
        if failed { throw ExitCode(2) }
        if !matched { throw ExitCode(1) }
    }

    /// Each query's name and hash, in order; `-` expands to one query per standard-input record.
    private func hashedQueries() throws -> [(name: String, hash: Result<PHash, CommandFailure>)] {
        var out: [(name: String, hash: Result<PHash, CommandFailure>)] = []
        for query in queries {
            if query == "-" {
                // Line by line, each at most as long as an output line `--resume` reads back, so
                // that `/dev/zero` on stdin is an error, not all the memory.
                var reader = LineReader(descriptor: 0, maxLength: PreviousLines.maxLine)
                while true {
                    let next: (line: ArraySlice<UInt8>, complete: Bool)?
                    do {
                        next = try reader.next()
                    } catch .tooLong(let number) {
                        throw CommandFailure("Line \(number) of standard input is longer than \(PreviousLines.maxLine >> 20) MiB; it is no ikmeta record.", status: 2)
                    } catch .readError(let code) {
                        throw CommandFailure("Cannot read standard input: \(String(cString: strerror(code))).", status: 2)
                    }
                    guard let line = next?.line else { break }
                    if line.isEmpty { continue }
                    let number = reader.lineNumber
                    let record = IndexInputs.record(Array(line))
                    let name = (try? record.get().path).flatMap { $0.isEmpty ? nil : $0 } ?? "-:\(number)"
                    out.append((name, record.map(\.hash).mapError { CommandFailure("standard input line \(number): \($0.message)") }))
                }
            } else if FileSystem.exists(query) {
                out.append((query, Result { () throws(CommandFailure) in try LocalPHash.of(path: query, fast: fast) }))
            } else if let hash = PHash(hex: query) {
                out.append((query, .success(hash)))
            } else {
                out.append((query, .failure(CommandFailure("\(query.debugDescription) is neither an existing file nor a pHash (1–16 hex digits)."))))
            }
        }
        return out
    }
}
