import ArgumentParser
import ImageMetadata
import PerceptualHashIndex

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ikmeta duplicates DIR|INDEX`: groups of near-duplicate images and which one to keep.
struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Group near-duplicate images by pHash and suggest which of each group to keep.",
        discussion: """
            Inputs are an index (.ikidx), images, directories (walked recursively) or
            ikmeta JSONL output, as for `ikmeta index build`; images are read in
            parallel (--jobs).

            A group is a connected component of the graph that links every two images
            within --max-distance bits: images are in one group when a chain of such
            links joins them, so a member may be further than the distance from the
            kept one. Every pair within the distance is found (the search is exact).
            The image to keep is the one with the most pixels, then the largest file,
            then the first given. Each member's distance is to the kept image.

            Output: a table, one block per group, the kept image first; with --jsonl
            one line per group:
              {"group":[{"file":…,"pHash":…,"distance":D,"width":W,"height":H,"size":S},…],"keep":"<path>"}
            With --print0, only the paths of the members not kept, each followed by
            NUL, for `xargs -0`. Nothing is ever deleted or moved.

            Exit status (like grep): 0 when there is a group, 1 when there is none,
            2 on an error, 3 when the output could not be written.

            Examples:
              ikmeta duplicates ~/Photos
              ikmeta duplicates library.ikidx --max-distance 2 --jsonl
              ikmeta duplicates library.ikidx --print0 | xargs -0 -I{} mv {} ~/review/
            """
    )

    @Option(name: .long, help: "The largest number of differing bits between two near-duplicates (0–64).")
    var maxDistance: Int = 4

    @Flag(name: .long, help: "One JSON line per group.")
    var jsonl = false

    @Flag(name: .long, help: "Print the members not kept, NUL-terminated, for xargs -0.")
    var print0 = false

    @OptionGroup var read: IndexCommand.ReadOptionGroup

    @Argument(help: "An index, images, directories or ikmeta JSONL files.")
    var inputs: [String] = []

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Give an index, a directory, images or JSONL files.") }
        if !(0...64).contains(maxDistance) { throw ValidationError("--max-distance must be 0 to 64.") }
        if jsonl && print0 { throw ValidationError("--jsonl and --print0 exclude each other.") }
    }

    func run() throws {
        var found = false
        var skipped = 0
        try reportingFailures {
            let library: PHashIndex
            if inputs.count == 1, IndexInputs.fileKind(inputs[0]) == .index {
                library = try IndexInputs.load(inputs[0])
            } else {
                let workFile = try temporaryPath()
                defer { unlink(workFile) }
                let collected = try IndexInputs.entries(inputs, workFile: workFile, settings: read.settings())
                skipped = collected.skipped
                library = try PHashIndex(entries: lastEntryPerPath(collected.entries))
            }
            let groups = library.duplicateGroups(maxDistance: maxDistance)
            found = !groups.isEmpty
            for (number, group) in groups.enumerated() {
                if print0 {
                    for member in group.members where member.entry != group.keep {
                        try printOutput(PathBytes.bytes(library.entry(member.entry).path) + [0])
                    }
                } else if jsonl {
                    let members = group.members.map { JSONValue.object(JSONObject(entryFields(library.entry($0.entry), distance: $0.distance))) }
                    let line = JSONObject([("group", .array(members)), ("keep", .string(PathBytes.jsonText(library.entry(group.keep).path)))])
                    try printOutput(JSONWriter.compactBytes(.object(line)) + [0x0A])
                } else {
                    try printOutput(Array(table(group, in: library, first: number == 0).utf8))
                }
            }
        }
        if skipped > 0 { throw ExitCode(2) }
        if !found { throw ExitCode(1) }
    }

    /// A group as aligned columns: role, distance, width×height, size, pHash, path.
    private func table(_ group: DuplicateGroup, in library: PHashIndex, first: Bool) -> String {
        let rows = group.members.map { member -> [String] in
            let e = library.entry(member.entry)
            return [member.entry == group.keep ? "keep" : "", String(member.distance),
                e.width > 0 ? "\(e.width)x\(e.height)" : "?", e.size > 0 ? String(e.size) : "?", e.hash.description,
                PathBytes.display(e.path)]  // control characters escaped, as `ikmeta phash` prints names
        }
        let header = ["", "dist", "pixels", "bytes", "pHash", "file"]
        let widths = (0..<5).map { c in ([header] + rows).map { $0[c].count }.max()! }
        func line(_ row: [String]) -> String {
            (0..<5).map { c in
                let pad = String(repeating: " ", count: widths[c] - row[c].count)
                return c == 0 || c == 4 ? row[c] + pad : pad + row[c]
            }.joined(separator: "  ") + "  " + row[5] + "\n"
        }
        return (first ? "" : "\n") + ([header] + rows).map(line).joined()
    }

    /// A new empty file in the temporary folder for the lines of the images read: `$TMPDIR`, or
    /// `/tmp` when it is unset, empty or unusable (as for whole-image buffers, README "Memory").
    private func temporaryPath() throws -> String {
        let variable = getenv("TMPDIR").map { String(cString: $0) } ?? ""
        for folder in [variable, "/tmp"] where !folder.isEmpty {
            var template = Array("\(folder)/ikmeta-duplicates-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { continue }
            close(fd)
            return String(cString: template)
        }
        throw CommandFailure("Cannot create a temporary file in $TMPDIR or /tmp.", status: 2)
    }
}
