import Foundation
import Testing

/// One input model for every reading command: '-' for standard input, directories and --jobs for
/// phash, a missing pHash as a failure, and a progress bar that never tears the output.
struct InputModelTests {
    static func image(_ name: String) -> String { CLI.testImages.appendingPathComponent(name).path }
    /// Runs ikmeta with standard input read from `file` (CLI.run feeds text, not image bytes).
    static func runWithStandardInput(_ arguments: [String], from file: String) throws -> CLI.Output {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        return try Shell.run("'\(CLI.executable.path)' \(quoted) < '\(file)'")
    }

    @Test func aDashReadsTheImageOnStandardInput() throws {
        let path = Self.image("grey.jpg")
        let direct = try CLI.run([path])
        let piped = try Self.runWithStandardInput(["-"], from: path)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == direct.stdout)

        let line = try Self.runWithStandardInput(["--jsonl", "-"], from: path)
        #expect(line.stdout.hasPrefix(#"{"file":"-","metadata":{"height":48"#), "\(line.stdout)")

        let hash = try Self.runWithStandardInput(["phash", "-", path], from: path)
        let lines = hash.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].hasSuffix("  -") && lines[0].prefix(16) == lines[1].prefix(16), "\(lines)")
    }

    @Test func standardInputIsReadOnce() throws {
        let r = try CLI.run(["-", "--files-from", "-"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Standard input can be read once"))
        #expect(try CLI.run(["phash", "-", "-"]).status == 2)
    }

    @Test func phashTakesDirectoriesListsAndJobs() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["rgb.png", "grey.jpg"] {
            try FileManager.default.copyItem(atPath: Self.image(name), toPath: folder.appendingPathComponent(name).path)
        }
        let list = folder.appendingPathComponent("list.txt")
        try Data((Self.image("jfif-300dpi.jpg") + "\n").utf8).write(to: list)
        let r = try CLI.run(["phash", "-j", "2", "--files-from", list.path, folder.path])
        #expect(r.status == 1, "list.txt is not an image: \(r.stdout)\(r.stderr)")
        let names = r.stdout.split(separator: "\n").map { String($0.split(separator: " ").last ?? "") }
        #expect(names == [folder.appendingPathComponent("grey.jpg").path, folder.appendingPathComponent("rgb.png").path,
                          Self.image("jfif-300dpi.jpg")], "\(r.stdout)")
        #expect(r.stderr.contains("list.txt: The file is not an image"))
    }

    @Test func aMissingPHashFailsTheFileButTheObjectIsPrinted() throws {
        let cmyk = Self.image("cmyk.jpg")
        let r = try CLI.run([cmyk])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix(#"{"height":48,"width":64"#) && !r.stdout.contains("pHash"), "\(r.stdout)")
        #expect(r.stderr.contains("no pHash: CMYK without an embedded ICC profile"), "\(r.stderr)")
        #expect(try CLI.run(["--no-phash", cmyk]).status == 0)
        let hash = try CLI.run(["phash", cmyk])
        #expect(hash.status == 1 && hash.stdout.isEmpty)
        #expect(hash.stderr.contains("No pHash: ikmeta could not decode the pixels of this jpg file (CMYK without an embedded ICC profile"), "\(hash.stderr)")
    }

    @Test func theProgressBarIsNotDrawnOnTheTerminalTheOutputGoesTo() throws {
        let images = ["rgb.png", "grey.jpg", "rgba.png", "jfif-300dpi.jpg"].map { "'\(Self.image($0))'" }.joined(separator: " ")
        let ikmeta = "'\(CLI.executable.path)'"
        // Both streams on one terminal: the lines only, no bar.
        let shared = try Shell.inTerminal("\(ikmeta) --jsonl \(images)")
        #expect(shared.contains(#"{"file":"#))
        #expect(!shared.contains("files/s"), "\(shared)")
        // Output to a file, stderr on the terminal: the bar is drawn.
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let redirected = try Shell.inTerminal("\(ikmeta) --jsonl \(images) > '\(folder.path)/out.jsonl'")
        #expect(redirected.contains("4/4") && redirected.contains("files/s"), "\(redirected)")
        #expect(!redirected.contains(#"{"file":"#))
    }
}

/// `/bin/sh` commands, and commands run under a pseudo-terminal with util-linux `script`.
enum Shell {
    static func run(_ command: String) throws -> CLI.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    /// What the terminal showed while `command` ran with its stdout and stderr on it.
    static func inTerminal(_ command: String) throws -> String {
        let escaped = command.replacingOccurrences(of: "\"", with: "\\\"")
        return try run("script -qec \"\(escaped)\" /dev/null < /dev/null").stdout
    }
}
