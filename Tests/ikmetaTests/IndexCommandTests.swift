import Foundation
import ImageMetadata
import Testing

/// `ikmeta index`, `similar` and `duplicates` on small hand-made libraries.
struct IndexCommandTests {
    /// A JSONL library in the shape of `ikmeta read --jsonl`: a chain a ~ b ~ c (3 bits apart
    /// each, 6 from a to c), an exact copy d of e, and f far from everything.
    static let library = [
        (file: "a.jpg", hash: "0000000000000000", width: 100, height: 100, size: 900),
        (file: "b.jpg", hash: "0000000000000007", width: 200, height: 100, size: 800),
        (file: "c.jpg", hash: "000000000000003f", width: 100, height: 100, size: 700),
        (file: "d.png", hash: "ffff0000ffff0000", width: 50, height: 50, size: 300),
        (file: "e.png", hash: "ffff0000ffff0000", width: 50, height: 50, size: 400),
        (file: "f.jpg", hash: "123456789abcdef0", width: 10, height: 10, size: 10),
    ].map { e in
        #"{"file":"\#(e.file)","metadata":{"height":\#(e.height),"width":\#(e.width),"size":\#(e.size),"format":"jpg","pHash":"\#(e.hash)"}}"#
    }.joined(separator: "\n") + "\n" + #"{"file":"broken.jpg","error":{"message":"The file is not an image","help":""}}"# + "\n"

    func withLibrary(_ body: (URL, String) throws -> Void) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.library.write(to: folder.appendingPathComponent("meta.jsonl"), atomically: true, encoding: .utf8)
        let index = folder.appendingPathComponent("lib.ikidx").path
        let r = try CLI.run(["index", "build", "meta.jsonl", "-o", index], in: folder)
        #expect(r.status == 1, "the error record is left out: \(r.stderr)")
        #expect(r.stderr.contains("broken.jpg: The file is not an image"))
        #expect(r.stderr.contains("6 images indexed, 1 left out"))
        try body(folder, index)
    }

    @Test func similarListsMatchesNearestFirst() throws {
        try withLibrary { _, index in
            let r = try CLI.run(["similar", "0000000000000001", "--index", index, "--max-distance", "5", "--jsonl"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == """
                {"query":"0000000000000001","file":"a.jpg","pHash":"0000000000000000","distance":1}
                {"query":"0000000000000001","file":"b.jpg","pHash":"0000000000000007","distance":2}
                {"query":"0000000000000001","file":"c.jpg","pHash":"000000000000003f","distance":5}

                """)
            let text = try CLI.run(["similar", "0000000000000001", "--index", index, "--max-distance", "1"])
            #expect(text.stdout == "1\t0000000000000000\ta.jpg\n")
        }
    }

    @Test func similarExitsOneWithoutMatchAndTwoOnABadQuery() throws {
        try withLibrary { _, index in
            let none = try CLI.run(["similar", "0f0f0f0f0f0f0f0f", "--index", index, "--max-distance", "3"])
            #expect(none.status == 1)
            #expect(none.stdout.isEmpty)
            let bad = try CLI.run(["similar", "not-a-hash", "--index", index])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("neither an existing file nor a pHash"))
        }
    }

    @Test func similarReadsJSONLQueriesFromStandardInput() throws {
        try withLibrary { _, index in
            let input = #"{"file":"new.jpg","pHash":"ffff0000ffff0001"}"# + "\n"
            let r = try CLI.run(["similar", "-", "--index", index, "--jsonl", "--max-distance", "2"], input: input)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n").map(String.init) == [
                #"{"query":"new.jpg","file":"d.png","pHash":"ffff0000ffff0000","distance":1}"#,
                #"{"query":"new.jpg","file":"e.png","pHash":"ffff0000ffff0000","distance":1}"#,
            ])
        }
    }

    @Test func duplicatesGroupsConnectedImagesAndKeepsTheLargest() throws {
        try withLibrary { folder, index in
            let r = try CLI.run(["duplicates", index, "--max-distance", "3", "--jsonl"])
            #expect(r.status == 0, "\(r.stderr)")
            // a ~ b ~ c are one group although a and c are 6 bits apart; b has the most pixels.
            // d and e have equal pixels: the larger file e is kept.
            #expect(r.stdout == """
                {"group":[{"file":"b.jpg","pHash":"0000000000000007","distance":0,"width":200,"height":100,"size":800},\
                {"file":"a.jpg","pHash":"0000000000000000","distance":3,"width":100,"height":100,"size":900},\
                {"file":"c.jpg","pHash":"000000000000003f","distance":3,"width":100,"height":100,"size":700}],"keep":"b.jpg"}
                {"group":[{"file":"e.png","pHash":"ffff0000ffff0000","distance":0,"width":50,"height":50,"size":400},\
                {"file":"d.png","pHash":"ffff0000ffff0000","distance":0,"width":50,"height":50,"size":300}],"keep":"e.png"}

                """)
            let print0 = try CLI.run(["duplicates", index, "--max-distance", "3", "--print0"])
            #expect(print0.stdout == "a.jpg\0c.jpg\0d.png\0")
            let table = try CLI.run(["duplicates", index, "--max-distance", "0"])
            #expect(table.stdout.contains("keep"))
            #expect(table.stdout.contains("e.png") && !table.stdout.contains("a.jpg"))
            let single = folder.appendingPathComponent("single.jsonl")
            try (#"{"file":"f.jpg","pHash":"123456789abcdef0"}"# + "\n").write(to: single, atomically: true, encoding: .utf8)
            let none = try CLI.run(["duplicates", single.path, "--jsonl"])
            #expect(none.status == 1, "\(none.stderr)")
            #expect(none.stdout.isEmpty)
        }
    }

    /// Names are told apart by their bytes: a byte that is not UTF-8 (0xFF) reaches `--print0` and
    /// `index remove` as itself, the composed and decomposed `café.png` are two files, and an entry
    /// made from `read --jsonl` output (where 0xFF is `\\xFF` text) is replaced by the entry made
    /// from the image, not kept beside it as a duplicate of itself.
    @Test func namesAreToldApartByTheirBytes() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = #"""
            mkdir d; for name in "$(printf 'a\377')" "$(printf 'caf\303\251')" "$(printf 'cafe\314\201')"; do
                cp "$IMAGES/rgb.png" "d/$name.png"; done
            cp "$IMAGES/rgb.png" d/keep.png; printf '\0\0\0\0' >> d/keep.png   # the largest file: kept
            "$IKMETA" read --jsonl -q d > old.jsonl
            "$IKMETA" index build -q -o lib.ikidx old.jsonl; "$IKMETA" index add -q lib.ikidx d; echo "add=$?"
            "$IKMETA" index list lib.ikidx | wc -l
            "$IKMETA" duplicates lib.ikidx --print0 | od -An -tx1 | tr -d ' \n'; echo
            "$IKMETA" index remove lib.ikidx "$(printf 'd/a\377.png')"; echo "remove=$?"
            """#
        let r = try CLI.shell(script, in: folder)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(r.stdout)\(r.stderr)")
        guard lines.count == 4 else { return }
        #expect(lines[0] == "add=0" && lines[1] == "4" && lines[3] == "remove=0")
        // In the walk's byte order, each ended by NUL: d/a<FF>.png, d/cafe<U+0301>.png, d/caf<é>.png.
        #expect(lines[2] == "642f61ff2e706e6700" + "642f63616665cc812e706e6700" + "642f636166c3a92e706e6700")
        #expect(r.stderr.contains("1 removed, 3 left"), "\(r.stderr)")
    }

    @Test func addAndRemoveUpdateTheIndex() throws {
        try withLibrary { folder, index in
            let extra = folder.appendingPathComponent("extra.jsonl")
            try (#"{"file":"g.jpg","pHash":"0000000000000000"}"# + "\n" + #"{"file":"f.jpg","pHash":"0000000000000001"}"# + "\n")
                .write(to: extra, atomically: true, encoding: .utf8)
            let add = try CLI.run(["index", "add", index, extra.path])
            #expect(add.status == 0, "\(add.stderr)")
            #expect(add.stderr.contains("1 added, 1 updated"))
            let remove = try CLI.run(["index", "remove", index, "a.jpg", "nowhere.jpg"])
            #expect(remove.status == 1)
            #expect(remove.stderr.contains("nowhere.jpg: not in"))
            let list = try CLI.run(["index", "list", index])
            #expect(list.stdout.split(separator: "\n").map { String($0.prefix(14)) } == [
                #"{"file":"b.jpg"#, #"{"file":"c.jpg"#, #"{"file":"d.png"#, #"{"file":"e.png"#, #"{"file":"f.jpg"#, #"{"file":"g.jpg"#,
            ])
            #expect(list.stdout.contains(#"{"file":"f.jpg","pHash":"0000000000000001","width":null,"height":null,"size":null}"#))
        }
    }

    @Test func aDamagedIndexIsAClearError() throws {
        try withLibrary { folder, index in
            var bytes = try Data(contentsOf: URL(fileURLWithPath: index))
            let truncated = folder.appendingPathComponent("truncated.ikidx")
            try bytes.prefix(bytes.count - 3).write(to: truncated)
            let r = try CLI.run(["similar", "0", "--index", truncated.path])
            #expect(r.status == 2)
            #expect(r.stderr.contains("truncated or damaged"))
            bytes[bytes.count - 1] ^= 1
            try bytes.write(to: URL(fileURLWithPath: index))
            let d = try CLI.run(["duplicates", index])
            #expect(d.status == 2)
            #expect(d.stderr.contains("checksum does not match"))
        }
    }

    @Test func buildReadsImagesAndResumesAnInterruptedRun() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = CLI.testImages.appendingPathComponent("rgb.png").path
        let b = CLI.testImages.appendingPathComponent("grey.jpg").path
        let index = folder.appendingPathComponent("lib.ikidx").path
        // A line left where an interrupted run writes, but recorded by no run (no `.resume` entry
        // with the file's identity and the line's checksum): --resume reads the image again
        // rather than trust it.
        try (#"{"file":"\#(a)","metadata":{"width":1,"height":1,"size":1,"pHash":"00000000000000ab"}}"# + "\n")
            .write(toFile: index + ".lines.partial", atomically: true, encoding: .utf8)
        let r = try CLI.run(["index", "build", "--resume", "-q", "-j", "2", a, b, "-o", index])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try CLI.run(["index", "list", index]).stdout.split(separator: "\n").map(String.init)
        #expect(list.count == 2)
        let phashA = try CLI.run(["phash", a]).stdout.prefix(16)
        #expect(list.first?.contains(#""pHash":"\#(phashA)""#) == true, "the unrecorded line is not reused")
        let phash = try CLI.run(["phash", b]).stdout.prefix(16)
        #expect(list.last == #"{"file":"\#(b)","pHash":"\#(phash)","width":64,"height":48,"size":1098}"#)
        #expect(!FileManager.default.fileExists(atPath: index + ".lines"))
        #expect(!FileManager.default.fileExists(atPath: index + ".lines.resume"))
        #expect(!FileManager.default.fileExists(atPath: index + ".partial"))
        let same = try CLI.run(["similar", b, "--index", index, "--max-distance", "0"])
        #expect(same.stdout == "0\t\(phash)\t\(b)\n")
    }
}
