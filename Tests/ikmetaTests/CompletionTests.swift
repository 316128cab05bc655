import Foundation
import Testing

/// The bash completion script swift-argument-parser generates offers file names wherever a path goes.
struct CompletionTests {
    /// Runs the completion function for `words` (the last one being completed) in a folder holding
    /// photo-1.jpg, photo-2.png, list.txt and out.jsonl; returns the sorted offers.
    static func complete(_ words: [String]) throws -> [String] {
        let script = try CLI.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["photo-1.jpg", "photo-2.png", "list.txt", "out.jsonl"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
        }
        let scriptURL = folder.appendingPathComponent(".ikmeta-completion.bash")
        try script.stdout.write(to: scriptURL, atomically: true, encoding: .utf8)
        let line = words.joined(separator: " ")
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = """
            source .ikmeta-completion.bash
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            _ikmeta ikmeta '\(words.last!)' '\(words[words.count - 2])'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", program]
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    @Test(arguments: [
        (["ikmeta", "phash", "pho"], ["photo-1.jpg", "photo-2.png"]),
        (["ikmeta", "read", "pho"], ["photo-1.jpg", "photo-2.png"]),
        (["ikmeta", "read", "--files-from", "li"], ["list.txt"]),
        (["ikmeta", "read", "--output", "ou"], ["out.jsonl"]),
        (["ikmeta", "compare", "photo-1.jpg", "ou"], ["out.jsonl"]),
        (["ikmeta", "distance", "photo-2"], ["photo-2.png"]),
    ])
    func pathArgumentsCompleteFileNames(words: [String], expected: [String]) throws {
        #expect(try Self.complete(words) == expected)
    }
}
