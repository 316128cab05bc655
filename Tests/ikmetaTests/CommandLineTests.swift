import Foundation
import Testing

/// The command line (swift-argument-parser): option spellings, help, version and usage errors.
struct CommandLineTests {
    static let image = "TestImages/rgb.png"

    @Test func optionSpellingsAreEquivalent() throws {
        let reference = try CLI.run(["--jsonl", "--quiet", "--jobs", "2", Self.image], in: CLI.repository)
        #expect(reference.status == 0 && reference.stdout.hasPrefix(#"{"file":"TestImages/rgb.png""#))
        for spelling in [["--jsonl", "-q", "--jobs=2", Self.image], ["--jsonl", "-q", "-j", "2", Self.image],
                         ["read", "--jsonl", "-j", "2", "--", Self.image]] {
            let r = try CLI.run(spelling, in: CLI.repository)
            #expect(r.status == 0, "\(spelling)")
            #expect(r.stdout == reference.stdout, "\(spelling)")
        }
    }

    @Test func helpGoesToStandardOutputWithStatusZero() throws {
        let root = try CLI.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("USAGE: ikmeta <subcommand>") && root.stdout.contains("compare"))
        for words in [["help", "phash"], ["phash", "--help"], ["phash", "-h"]] {
            let r = try CLI.run(words)
            #expect(r.status == 0, "\(words)")
            #expect(r.stdout.contains("USAGE: ikmeta phash [--jsonl] [--fast] [--jobs <jobs>] [--files-from <files-from>] [<inputs> ...]"), "\(words)")
        }
        let read = try CLI.run(["--jsonl", "--help"])
        #expect(read.stdout.contains("LIMITS:") && read.stdout.contains("--max-pixels <pixels>"))
        #expect(read.stdout.contains("--image-memory <bytes>"))
    }

    @Test func versionNamesThePackageAndEachLinkedLibrary() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ikmeta ") == true)
        for library in ["libjpeg-turbo", "libpng", "libexif", "lcms2", "zlib", "giflib", "libwebp", "libtiff", "libheif"] {
            let line = lines.first { $0.hasPrefix(library + " ") }
            #expect(line != nil, "\(library) missing from \(lines)")
            // A version starts with a digit; libexif's and libjpeg's are their shared objects' names.
            let version = line.map { String($0.dropFirst(library.count + 1)) } ?? ""
            #expect(version.first?.isNumber == true || version.hasPrefix("lib") && version.contains(".so."), "\(library): \(version)")
        }
        // The parser accepts `--version` beside other arguments too; the library lines are added
        // after it has parsed (IKMeta.main), so every form prints them all.
        for arguments in [["-q", "--version"], ["read", "--version"], ["x.jpg", "--version"]] {
            let other = try CLI.run(arguments)
            #expect(other.status == 0 && other.stdout == r.stdout, "\(arguments)")
        }
    }

    @Test(arguments: [
        (["--bogus", "x.jpg"], "Unknown option '--bogus'"),
        (["-z", "x.jpg"], "Unknown option '-z'"),
        (["--jobs", "two", "x.jpg"], "The value 'two' is invalid for '--jobs <jobs>'"),
        (["--jobs"], "Missing value for '--jobs <jobs>'"),
        (["--jsonl=yes", "x.jpg"], "The option '--jsonl' does not take any value"),
        (["--time-limit", "0", "x.jpg"], "--time-limit must be a positive number of seconds."),
        (["--image-memory=-1", "x.jpg"], "--image-memory must be 0 or more."),
        (["compare", "x.jpg"], "Missing expected argument '<response>'"),
    ])
    func usageErrorsSayWhatIsWrongAndExitWithTwo(words: [String], message: String) throws {
        let r = try CLI.run(words)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("Error: " + message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// Long runs of plain arguments reach the parser folded (`FoldedArguments`): the files, their
    /// order, the index argument before a list and the parser's own messages are as for short lists.
    @Test func longArgumentListsParseAsShortOnes() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try Data(contentsOf: CLI.testImages.appendingPathComponent("rgb.png"))
        let names = (0..<300).map { "img\($0 * 7919 % 300).png" }  // not in sorted order
        for name in names { try image.write(to: folder.appendingPathComponent(name)) }
        try Data((names.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("list.txt"))

        let listed = try CLI.run(["--jsonl", "--no-phash", "--files-from", "list.txt"], in: folder)
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").count == 300)
        // Options before, between and after the runs, and a `--` with a name that starts with `-`.
        let given = try CLI.run(["--jsonl"] + names[0..<100] + ["--no-phash"] + names[100..<250] + ["-j", "2"]
            + names[250..<299] + ["--", names[299]], in: folder)
        #expect(given.status == 0)
        #expect(given.stdout == listed.stdout)

        _ = try CLI.run(["index", "build", "-q", "-o", "lib.ikidx", names[0]], in: folder)
        let added = try CLI.run(["index", "add", "-q", "lib.ikidx"] + names, in: folder)
        #expect(added.status == 0, "\(added.stderr)")
        let entries = try CLI.run(["index", "list", "lib.ikidx"], in: folder).stdout.split(separator: "\n")
        #expect(entries.count == 300)

        let extra = try CLI.run(["distance", "a", "b"] + names, in: folder)
        #expect(extra.status == 2)
        #expect(extra.stderr.hasPrefix("Error: 300 unexpected arguments: '\(names[0])', '\(names[1])'"), "\(extra.stderr.prefix(200))")
        #expect(!extra.stderr.contains("\u{0}"))
    }
}
