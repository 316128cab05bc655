import Foundation
import Testing

/// Batch behaviour of `ikmeta read`: input order, directories, lists, exit codes, and
/// `--output` with `--resume` after a killed run (issue: hostile and broken files).
@Suite(.serialized)
struct BatchTests {
    static let images = ["rgb.png", "grey.jpg", "rgba.png", "cmyk.jpg", "jfif-300dpi.jpg"]

    @Test func oneFilePrintsTheObjectAlone() throws {
        let r = try CLI.run(["TestImages/jfif-300dpi.jpg"], in: CLI.repository)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix(#"{"height":48,"width":64,"#))
        #expect(r.stdout.hasSuffix("}\n") && r.stdout.split(separator: "\n").count == 1)
    }

    @Test func severalFilesGiveOneLineEachInInputOrderWhateverTheJobs() throws {
        let args = Self.images.map { "TestImages/" + $0 } + ["missing.jpg", "README.md"]
        let one = try CLI.run(["--jobs", "1"] + args, in: CLI.repository)
        let four = try CLI.run(["--jobs", "4"] + args, in: CLI.repository)
        #expect(one.stdout == four.stdout)
        let lines = one.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == args.count)
        for (line, path) in zip(lines, args) { #expect(line.hasPrefix(#"{"file":""# + path + "\"")) }
        #expect(lines[5].contains(#""error":{"message":"Cannot open missing.jpg"#))
        #expect(lines[6].contains(#""error":{"message":"The file is not an image"#))
        #expect(one.status == 1)
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try CLI.run([]).status == 2)
        #expect(try CLI.run(["--jobs", "0", "x.jpg"]).status == 2)
        #expect(try CLI.run(["--resume", "x.jpg"]).status == 2)
    }

    @Test func directoriesAreWalkedInSortedOrderAndListsAreRead() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sub = folder.appendingPathComponent("b-sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for (i, name) in Self.images.enumerated() {
            let target = (i % 2 == 0 ? folder : sub).appendingPathComponent("\(i)-\(name)")
            try FileManager.default.copyItem(at: CLI.testImages.appendingPathComponent(name), to: target)
        }
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("a-notes.txt"))
        try Data().write(to: folder.appendingPathComponent(".hidden.jpg"))
        let r = try CLI.run([folder.path])
        let files = r.stdout.split(separator: "\n").map { line in
            String(line.dropFirst(9).prefix { $0 != "\"" }).replacingOccurrences(of: folder.path + "/", with: "")
        }
        #expect(files == ["0-rgb.png", "2-rgba.png", "4-jfif-300dpi.jpg", "a-notes.txt", "b-sub/1-grey.jpg", "b-sub/3-cmyk.jpg"])
        #expect(r.status == 1)  // the text file is an error line, and the run went on

        let list = Self.images.map { CLI.testImages.appendingPathComponent($0).path }.joined(separator: "\n") + "\n"
        let fromStdin = try CLI.run(["--files-from", "-"], input: list)
        #expect(fromStdin.status == 1)  // cmyk.jpg gets no pHash (no CMYK profile), which fails the file
        #expect(fromStdin.stdout.split(separator: "\n").count == Self.images.count)
    }

    /// Several jobs start the biggest files of each block first; the output keeps the input order and
    /// has every file once. 400 inputs of mixed sizes span many blocks.
    @Test func manyFilesOfMixedSizesKeepTheirOrderWithSeveralJobs() throws {
        let names = (0..<400).map { i in CLI.testImages.appendingPathComponent(Self.images[(i * 7) % Self.images.count]).path }
        let list = names.joined(separator: "\n") + "\n"
        let one = try CLI.run(["--jobs", "1", "--no-phash", "--files-from", "-"], input: list)
        let three = try CLI.run(["--jobs", "3", "--no-phash", "--files-from", "-"], input: list)
        #expect(one.status == 0 && three.status == 0)
        #expect(three.stdout == one.stdout)
        let files = three.stdout.split(separator: "\n").map { String($0.dropFirst(9).prefix { $0 != "\"" }) }
        #expect(files == names)
    }

    /// `--image-memory 0` sends every whole-image buffer through a temporary file; nothing else changes.
    @Test func imageMemoryZeroGivesTheSameOutput() throws {
        let args = ["--jsonl", "TestImages/progressive.jpg", "TestImages/interlaced.png", "TestImages/rgb.png"]
        let memory = try CLI.run(args, in: CLI.repository)
        let spilled = try CLI.run(["--image-memory", "0"] + args, in: CLI.repository)
        #expect(memory.status == 0 && spilled.status == 0)
        #expect(memory.stdout.contains(#""pHash":""#))
        #expect(spilled.stdout == memory.stdout)
        #expect(try CLI.run(["--image-memory=-1", "x.jpg"]).status == 2)
    }

    /// A run killed part-way, then resumed, ends with exactly the output of an uninterrupted run.
    @Test func killedRunResumesToTheSameOutput() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 3000
        var paths: [String] = []
        for i in 0..<count {
            let name = Self.images[i % Self.images.count]
            let path = folder.appendingPathComponent(String(format: "%05d-", i) + name).path
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: CLI.testImages.appendingPathComponent(name).path)
            paths.append(path)
        }
        try Data("broken".utf8).write(to: folder.appendingPathComponent("01500-broken.jpg"))
        let list = folder.appendingPathComponent("list.txt")
        try Data((paths + [folder.appendingPathComponent("01500-broken.jpg").path]).joined(separator: "\n").utf8).write(to: list)

        let whole = folder.appendingPathComponent("whole.jsonl")
        let reference = try CLI.run(["--jobs", "2", "--no-phash", "--files-from", list.path, "--output", whole.path])
        #expect(reference.status == 1)  // the broken file
        let expected = try String(contentsOf: whole, encoding: .utf8)
        #expect(expected.split(separator: "\n").count == count + 1)

        let out = folder.appendingPathComponent("out.jsonl")
        let partial = URL(fileURLWithPath: out.path + ".partial")
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["--jobs", "2", "--no-phash", "--files-from", list.path, "--output", out.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning, ((try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int) ?? 0) < 20_000 {
            usleep(500)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        #expect(!FileManager.default.fileExists(atPath: out.path), "an interrupted run must not leave FILE in place")

        let resumed = try CLI.run(["--jobs", "2", "--no-phash", "--files-from", list.path, "--output", out.path, "--resume"])
        #expect(resumed.status == 1)
        #expect(try String(contentsOf: out, encoding: .utf8) == expected)
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        #expect(!FileManager.default.fileExists(atPath: out.path + ".previous"))
    }
}
