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
}
