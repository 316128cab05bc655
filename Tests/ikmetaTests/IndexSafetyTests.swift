import Foundation
import Testing

/// The index file of `ikmeta index` under careless use: an output that is an input image, a link,
/// a FIFO, a full disk, two updates at once, and `/dev/zero` given as an index or as queries.
@Suite(.serialized)
struct IndexSafetyTests {
    /// An image found by walking a folder is an input too: an index is never written over a
    /// non-empty file that is not an index, wherever it is.
    @Test func anIndexNeverReplacesAnImageInsideAWalkedFolder() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.shell(#"""
            mkdir d; cp "$IMAGES/rgb.png" d/in.png
            "$IKMETA" index build d -o d/in.png 2>/dev/null; echo "walked=$?"
            cmp d/in.png "$IMAGES/rgb.png" && echo intact
            "$IKMETA" index build d -o lib.ikidx 2>/dev/null; echo "new=$?"
            "$IKMETA" index build d -o lib.ikidx 2>/dev/null; echo "again=$?"
            """#, in: dir)
        #expect(r.stdout == "walked=2\nintact\nnew=0\nagain=0\n", "\(r.stdout)")
    }

    /// The index is written as `--output` is (README "Limits and safety"): never over an input,
    /// through a link, straight into a FIFO, and nothing is left beside it afterwards.
    @Test func anIndexNeverReplacesAnInputALinkOrAFIFO() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            cp "$IMAGES/rgb.png" in.png
            "$IKMETA" index build in.png -o in.png; echo "input=$?"
            cmp in.png "$IMAGES/rgb.png" && echo intact
            ln -s target.ikidx link.ikidx
            "$IKMETA" index build in.png -o link.ikidx 2>/dev/null; echo "link=$?"
            test -L link.ikidx && echo "still a link"; "$IKMETA" index list target.ikidx | wc -l
            mkfifo fifo; cat fifo > got.bin & reader=$!
            timeout 20 "$IKMETA" index build in.png -o fifo 2>/dev/null; echo "fifo=$?"
            wait $reader; test -p fifo && echo "still a fifo"; head -c 8 got.bin; echo
            timeout 20 "$IKMETA" index build in.png -o fifo 2>/dev/null; echo "no reader=$?"
            ls
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == """
            input=2
            intact
            link=0
            still a link
            1
            fifo=0
            still a fifo
            IKMETAIX
            no reader=3
            fifo
            got.bin
            in.png
            link.ikidx
            target.ikidx

            """, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("would overwrite the input in.png"))
    }

    /// A write that fails (here the file size limit, as a full disk would) exits with status 3,
    /// keeps the old index and leaves no partial file.
    @Test func aFailedIndexWriteKeepsTheOldIndex() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            for i in $(seq 1000); do printf '{"file":"/photos/image-%05d.jpg","pHash":"%016x"}\n' $i $i; done > many.jsonl
            "$IKMETA" index build "$IMAGES/rgb.png" -o lib.ikidx 2>/dev/null; cp lib.ikidx before.ikidx
            (ulimit -f 8; env --default-signal=XFSZ "$IKMETA" index add lib.ikidx many.jsonl); echo "add=$?"
            (ulimit -f 8; env --default-signal=XFSZ "$IKMETA" index build many.jsonl -o lib.ikidx); echo "build=$?"
            cmp lib.ikidx before.ikidx && echo "old index kept"
            ls
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "add=3\nbuild=3\nold index kept\nbefore.ikidx\nlib.ikidx\nmany.jsonl\n", "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("Cannot write lib.ikidx"), "\(r.stderr)")
    }

    /// Two updates of one index at once: the second stops at the lock instead of writing an
    /// index without the first one's entries.
    @Test func aSecondUpdateOfTheSameIndexStopsAtTheLock() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            "$IKMETA" index build "$IMAGES/rgb.png" -o lib.ikidx 2>/dev/null
            touch lib.ikidx.partial; flock lib.ikidx.partial sleep 3 & sleep 0.5
            "$IKMETA" index add lib.ikidx "$IMAGES/grey.jpg"; echo "add=$?"
            "$IKMETA" index remove lib.ikidx "$IMAGES/rgb.png"; echo "remove=$?"
            "$IKMETA" index build "$IMAGES/grey.jpg" -o lib.ikidx; echo "build=$?"
            wait; "$IKMETA" index list lib.ikidx | wc -l; test -e lib.ikidx.partial && echo "the other run's file is left alone"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "add=3\nremove=3\nbuild=3\n1\nthe other run's file is left alone\n", "\(r.stdout)")
        #expect(r.stderr.contains("Another ikmeta run is writing lib.ikidx"))
    }

    /// `/dev/zero` as an index or as standard-input queries is an error, not all the memory.
    @Test(.enabled(if: !CLI.executable.path.contains("asan"), "AddressSanitizer builds cannot run under ulimit -v"))
    func endlessInputsAreRefusedWithinBoundedMemory() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            "$IKMETA" index build "$IMAGES/rgb.png" -o lib.ikidx 2>/dev/null
            ulimit -v 2000000
            timeout 20 "$IKMETA" similar --index /dev/zero 0; echo "index=$?"
            timeout 20 "$IKMETA" index list /dev/zero; echo "list=$?"
            timeout 120 "$IKMETA" similar --index lib.ikidx - < /dev/zero; echo "queries=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "index=2\nlist=2\nqueries=2\n", "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("not an ikmeta index"))
        #expect(r.stderr.contains("Line 1 of standard input is longer than"))
    }

    /// A path with ESC and a newline (from a JSONL record) cannot drive the terminal or forge a
    /// line in the text output of `similar` and `duplicates`; JSON keeps it exact.
    @Test func namesInTextOutputAreEscaped() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            printf '{"file":"evil\\u001b[2J\\nforged","pHash":"0"}\n{"file":"b","pHash":"1"}\n' > evil.jsonl
            "$IKMETA" index build evil.jsonl -o evil.ikidx 2>/dev/null
            "$IKMETA" similar 0 --index evil.ikidx
            "$IKMETA" duplicates evil.ikidx | tail -2
            "$IKMETA" similar 0 1 --index evil.ikidx --max-distance 0 --jsonl | head -1
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == #"""
            0	0000000000000000	evil\x1B[2J\x0Aforged
            1	0000000000000001	b
            keep     0       ?      ?  0000000000000000  evil\x1B[2J\x0Aforged
                     1       ?      ?  0000000000000001  b
            {"query":"0","file":"evil\u001b[2J\nforged","pHash":"0000000000000000","distance":0}

            """#, "\(r.stdout)")
    }

    /// `duplicates` keeps its work file in `$TMPDIR`, or `/tmp` when that cannot be used, and
    /// removes everything it put there.
    @Test func duplicatesCleansUpItsTemporaryFiles() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            mkdir tmp
            TMPDIR=$PWD/tmp "$IKMETA" duplicates -q "$IMAGES/rgb.png" "$IMAGES/grey.jpg" > /dev/null; echo "tmp=$?"
            ls tmp | wc -l
            TMPDIR=/nonexistent "$IKMETA" duplicates -q "$IMAGES/rgb.png" "$IMAGES/grey.jpg" > /dev/null; echo "missing=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "tmp=1\n0\nmissing=1\n", "\(r.stdout) \(r.stderr)")
    }
}
