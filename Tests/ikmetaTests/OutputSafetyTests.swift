import Foundation
import Testing

/// `--output` and standard output under careless use: an output that is an input, a device, a
/// link, two runs at once, full disks, and `--resume` after the files or options changed.
@Suite(.serialized)
struct OutputSafetyTests {
    @Test func anOutputThatIsAnInputIsRefused() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            cp "$IMAGES/rgb.png" in.png; ln in.png hard.png
            "$IKMETA" --no-phash -o in.png in.png "$IMAGES/grey.jpg"; echo "arg=$?"
            echo in.png | "$IKMETA" --no-phash -o hard.png --files-from -; echo "list=$?"
            cmp in.png "$IMAGES/rgb.png" && echo intact
            echo in.png > paths.txt; "$IKMETA" --no-phash --files-from paths.txt -o paths.txt; echo "the list=$?"
            cat paths.txt
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "arg=2\nlist=2\nintact\nthe list=2\nin.png\n", "\(r.stdout)")
        #expect(r.stderr.contains("would overwrite the input in.png"))
    }

    /// A directory (or anything but a regular file) where a companion file goes stops the run before
    /// anything is written, and the message names it.
    @Test func aCompanionFileInTheWayIsNamed() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            mkdir out.jsonl.resume
            "$IKMETA" --no-phash -o out.jsonl --resume "$IMAGES/rgb.png"; echo "resume=$?"
            ls
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "resume=2\nout.jsonl.resume\n", "\(r.stdout)")
        #expect(r.stderr.contains("out.jsonl.resume is in the way of the output out.jsonl"), "\(r.stderr)")
    }

    /// A folder that holds the run's own output (and its companion files) is walked without them,
    /// so the same command can run again; an output given as an input is still refused, and so is
    /// an output that is an image in the walked folder.
    @Test func aWalkedFolderLeavesOutTheRunsOwnFiles() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            mkdir lib photos; cp "$IMAGES/rgb.png" "$IMAGES/grey.jpg" lib; cp "$IMAGES/rgb.png" "$IMAGES/grey.jpg" photos
            "$IKMETA" --no-phash lib -o lib/out.jsonl; echo "read=$?"
            "$IKMETA" --no-phash lib -o lib/out.jsonl; echo "again=$?"
            "$IKMETA" --no-phash --resume lib -o lib/out.jsonl; echo "resume=$?"
            wc -l < lib/out.jsonl
            "$IKMETA" --no-phash lib/out.jsonl -o lib/out.jsonl 2>/dev/null; echo "named=$?"
            "$IKMETA" --no-phash lib -o lib/rgb.png 2>/dev/null; echo "image=$?"
            cmp lib/rgb.png "$IMAGES/rgb.png" && echo intact
            "$IKMETA" index build photos -o photos/all.ikidx; echo "index=$?"
            "$IKMETA" index build photos -o photos/all.ikidx; echo "index-again=$?"
            "$IKMETA" index add photos/all.ikidx photos; echo "add=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "read=0\nagain=0\nresume=0\n2\nnamed=2\nimage=2\nintact\nindex=0\nindex-again=0\nadd=0\n", "\(r.stdout) \(r.stderr)")
        #expect(!r.stderr.contains("not an image") && !r.stderr.contains("left out"), "\(r.stderr)")
    }

    /// A link is followed to its target (and stays a link); a FIFO is written straight, not replaced.
    @Test func linksAndFIFOsAreWrittenThroughNotReplaced() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            ln -s target.jsonl link.jsonl
            "$IKMETA" --no-phash -o link.jsonl "$IMAGES/rgb.png" "$IMAGES/grey.jpg"; echo "link=$?"
            test -L link.jsonl && echo "still a link"; wc -l < target.jsonl
            mkfifo fifo; cat fifo > got.txt & reader=$!
            timeout 20 "$IKMETA" --no-phash -o fifo "$IMAGES/rgb.png" "$IMAGES/grey.jpg"; echo "fifo=$?"
            wait $reader; test -p fifo && echo "still a fifo"; wc -l < got.txt
            timeout 20 "$IKMETA" --no-phash -o fifo "$IMAGES/rgb.png"; echo "no reader=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "link=0\nstill a link\n2\nfifo=0\nstill a fifo\n2\nno reader=3\n", "\(r.stdout) \(r.stderr)")
    }

    @Test func aSecondRunOnTheSameOutputStopsAtTheLock() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            touch out.jsonl.partial; flock out.jsonl.partial sleep 3 & sleep 0.5
            "$IKMETA" --no-phash -o out.jsonl "$IMAGES/rgb.png" "$IMAGES/grey.jpg"; echo "second=$?"
            wait; test -e out.jsonl || echo "nothing written"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "second=3\nnothing written\n", "\(r.stdout)")
        #expect(r.stderr.contains("Another ikmeta run is writing out.jsonl"))
    }

    /// A failed write is exit status 3 in every command, distinct from 1 (an unreadable input).
    @Test func failedWritesExitWithThreeInEveryCommand() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            "$IKMETA" --no-phash "$IMAGES/rgb.png" > /dev/full; echo "read=$?"
            "$IKMETA" --no-phash -o /dev/full "$IMAGES/rgb.png" "$IMAGES/grey.jpg"; echo "read-o=$?"
            "$IKMETA" phash "$IMAGES/rgb.png" > /dev/full; echo "phash=$?"
            "$IKMETA" phash --jsonl "$IMAGES/rgb.png" >&-; echo "phash-closed=$?"
            "$IKMETA" distance 0 1 > /dev/full; echo "distance=$?"
            "$IKMETA" --no-phash "$IMAGES/rgb.png" > r.json; "$IKMETA" compare "$IMAGES/rgb.png" r.json > /dev/full; echo "compare=$?"
            "$IKMETA" exif --json "$IMAGES/exif-camera.jpg" > /dev/full; echo "exif=$?"
            "$IKMETA" index build "$IMAGES/rgb.png" "$IMAGES/grey.jpg" -o lib.ikidx 2>/dev/null
            "$IKMETA" index list lib.ikidx > /dev/full; echo "list=$?"
            "$IKMETA" similar --index lib.ikidx 0 --max-distance 64 > /dev/full; echo "similar=$?"
            "$IKMETA" duplicates lib.ikidx --max-distance 64 > /dev/full; echo "duplicates=$?"
            "$IKMETA" duplicates lib.ikidx --max-distance 64 --print0 >&-; echo "duplicates-closed=$?"
            "$IKMETA" --help > /dev/full; echo "help=$?"
            "$IKMETA" help index > /dev/full; echo "help-index=$?"
            "$IKMETA" --version > /dev/full; echo "version=$?"
            "$IKMETA" --help > /dev/null; echo "help-ok=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout == "read=3\nread-o=3\nphash=3\nphash-closed=3\ndistance=3\ncompare=3\n"
            + "exif=3\nlist=3\nsimilar=3\nduplicates=3\nduplicates-closed=3\n"
            + "help=3\nhelp-index=3\nversion=3\nhelp-ok=0\n", "\(r.stdout)")
        #expect(r.stderr.contains("Cannot write the output"))
    }

    /// --resume reads again what changed, what failed, and what other options made.
    @Test func resumeReusesOnlyLinesThatStillMatch() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            cp "$IMAGES/rgb.png" a.png; cp "$IMAGES/grey.jpg" b.jpg
            "$IKMETA" --no-phash -o out.jsonl a.png b.jpg c.png 2>/dev/null; echo "first=$?"
            "$IKMETA" --resume -o out.jsonl a.png b.jpg c.png 2>/dev/null; echo "options=$?"
            grep -c pHash out.jsonl
            cp "$IMAGES/rgba.png" a.png; cp "$IMAGES/rgb.png" c.png
            "$IKMETA" --resume -o out.jsonl a.png b.jpg c.png; echo "changed=$?"
            cat out.jsonl
            touch -r b.jpg ref; printf 'XXXX' | dd of=b.jpg conv=notrunc 2>/dev/null; touch -r ref b.jpg
            "$IKMETA" --resume -o out.jsonl a.png b.jpg c.png; echo "same identity=$?"
            "$IKMETA" --resume --max-file-size 1000 -o out.jsonl a.png b.jpg c.png 2>/dev/null; echo "limits=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(4) == ["first=1", "options=1", "2", "changed=0"], "\(r.stdout)")
        #expect(lines.count == 9)
        guard lines.count == 9 else { return }
        // Same inode, size and mtime: the line is reused (the damaged bytes are not read).
        #expect(lines[7] == "same identity=0")
        // Other limits: read again (b.jpg, 1,098 bytes, is now over --max-file-size).
        #expect(lines[8] == "limits=1")
        #expect(lines[4].hasPrefix(#"{"file":"a.png","metadata":{"height":48,"width":64,"size":646"#))  // rgba.png now
        #expect(lines[4].contains(#""hasTransparency":true"#) && lines[4].contains("pHash"))
        #expect(lines[5].hasPrefix(#"{"file":"b.jpg","metadata""#) && lines[5].contains("pHash"))
        #expect(lines[6].hasPrefix(#"{"file":"c.png","metadata""#))  // the error line was read again
    }
}
