import Foundation
import ImageMetadata
import Testing

/// `ikmeta phash FILE...` (SPEC §4).
struct PhashCommandTests {
    @Test func eachFileGetsItsHashAndPathOrAnError() throws {
        let image = ResponseFixtures.image
        let local = try ResponseFixtures.localObject(image)
        let r = try CLI.run(["phash", image])
        if case .string(let hash)? = local["pHash"] {
            #expect(r.status == 0)
            #expect(r.stdout == "\(hash)  \(image)\n")
        } else {
            #expect(r.status == 1)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("\(image): No pHash"))
        }
    }

    @Test func jsonLinesKeepInputOrderAndReportFailures() throws {
        let image = ResponseFixtures.image
        let local = try ResponseFixtures.localObject(image)
        let r = try CLI.run(["phash", "--jsonl", image, "missing.jpg"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let first = try JSONParser.parse(lines[0])
        if let hash = local["pHash"] {
            #expect(first == .object(JSONObject([("file", .string(image)), ("pHash", hash)])))
        } else {
            guard case .object(let o) = first else { Issue.record("not an object: \(lines[0])"); return }
            #expect(o.keys == ["file", "error"])
        }
        guard case .object(let second) = try JSONParser.parse(lines[1]), case .object(let error)? = second["error"] else {
            Issue.record("not an error line: \(lines[1])")
            return
        }
        #expect(second["file"] == "missing.jpg")
        #expect(error.keys == ["message", "help"])
        if case .string(let message)? = error["message"] {
            #expect(message.hasPrefix("Cannot open missing.jpg"))
        } else {
            Issue.record("no message in \(lines[1])")
        }
        #expect(r.stderr.contains("missing.jpg: Cannot open missing.jpg"))
    }

    @Test func withoutFilesItIsAUsageError() throws {
        let r = try CLI.run(["phash"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Give at least one image file or directory."))
    }
}
