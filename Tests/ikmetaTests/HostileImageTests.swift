import Foundation
import Testing

/// Image files built to exhaust time, memory or temporary space (Tests/Generators/hostile_images.py
/// writes them into a temporary folder; nothing large is committed). The assertions are on
/// outcomes (an error naming the limit, a field kept), never on timings.
@Suite(.serialized)
struct HostileImageTests {
    static let generator = CLI.repository.appendingPathComponent("Tests/Generators/hostile_images.py").path

    /// Runs the generator in `dir`, then `script` (with $IKMETA and $IMAGES set).
    private func run(_ generate: [String], then script: String) throws -> CLI.Output {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let commands = generate.map { "python3 '\(Self.generator)' \($0) || exit 99" }.joined(separator: "\n")
        return try CLI.shell(commands + "\n" + script, in: dir)
    }

    /// Thousands of tiny scans: stopped at the scan cap, or at the deadline when the cap is raised
    /// (libjpeg consumes every scan before the first row; its progress monitor checks both).
    @Test func progressiveScansAreCappedAndTimed() throws {
        let r = try run(["scans many.jpg --size 1024 --count 800"], then: #"""
            timeout 60 "$IKMETA" many.jpg; echo "cap=$?"
            """#)
        #expect(r.stdout.contains("cap=1"), "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("The JPEG scan count (501) exceeds the limit of 500."))
        let swiftLevel = try run(["scans many.jpg --size 2048 --count 400"], then: #"""
            timeout 60 "$IKMETA" --time-limit 0.001 many.jpg; echo "deadline=$?"
            """#)
        #expect(swiftLevel.stdout.contains("deadline=1"))
        #expect(swiftLevel.stdout.contains("took longer than the limit of 0.001 s"), "\(swiftLevel.stdout)")
    }

    /// sPLT chunks with unique names: the duplicate check is linear and the pre-checks stop at the deadline.
    @Test func pngPreChecksRespectTheDeadline() throws {
        let r = try run(["splt many.png --count 30000"], then: #"""
            timeout 60 "$IKMETA" --time-limit 0.001 many.png; echo "deadline=$?"
            timeout 60 "$IKMETA" many.png > /dev/null; echo "whole=$?"
            """#)
        #expect(r.stdout.contains("deadline=1") && r.stdout.contains("took longer than the limit"), "\(r.stdout)")
        #expect(r.stdout.contains("whole=0"))
    }

    /// zTXt zlib bombs: the inflated bytes of one file are bounded by --max-metadata-size.
    @Test func compressedChunksInflateWithinTheMetadataLimit() throws {
        let r = try run(["ztxt bombs.png --count 4 --inflated 8000000"], then: #"""
            timeout 60 "$IKMETA" --max-metadata-size 10000000 bombs.png; echo "bombs=$?"
            timeout 60 "$IKMETA" --max-metadata-size 10000000 --no-phash bombs.png > /dev/null; echo "no-phash=$?"
            """#)
        #expect(r.stdout.contains("bombs=1"), "\(r.stdout)")
        #expect(r.stdout.contains("exceeds the limit of 10000000"))
        #expect(r.stdout.contains("no-phash=0"))  // nothing is inflated without the pixels
    }

    /// 300 APP2 segments of 64 KB: only one chunk per sequence number is kept, and the total kept
    /// is bounded by --max-metadata-size.
    @Test func manyAPP2SegmentsAreNotAllKept() throws {
        let r = try run(["app2 many.jpg --count 300"], then: #"""
            "$IKMETA" --no-phash many.jpg; echo "default=$?"
            "$IKMETA" --no-phash --max-metadata-size 30000 many.jpg; echo "limit=$?"
            """#)
        #expect(r.stdout.contains(#""hasColorProfile":false"#) && r.stdout.contains("default=0"), "\(r.stdout)")
        #expect(r.stdout.contains("JPEG metadata kept in bytes (65519) exceeds the limit of 30000") && r.stdout.contains("limit=1"))
    }

    /// A temporary folder that cannot be used: $TMPDIR falls back to /tmp (a full one does too: CI
    /// step 35); a temporary file that no folder can take (a file-size limit here) is an error for
    /// the file, never a silently missing pHash, whichever format's buffer it holds.
    @Test func temporaryFilesFallBackOrFailClearly() throws {
        let r = try run(["interlaced il.png --size 256", "scans prog.jpg --size 1024 --count 2"], then: #"""
            TMPDIR=/nonexistent "$IKMETA" --image-memory 1000 --jsonl il.png prog.jpg; echo "fallback=$?"
            (ulimit -f 64; env --default-signal=XFSZ "$IKMETA" --image-memory 1000 --jsonl il.png prog.jpg; echo "full=$?")
            (trap '' XFSZ; ulimit -f 0; "$IKMETA" --image-memory 0 --jsonl "$IMAGES/gif-interlaced.gif" "$IMAGES/tiled.tif" "$IMAGES/lossy.webp"; echo "held=$?")
            """#)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 10, "\(r.stdout)")
        guard lines.count == 10 else { return }
        #expect(lines[0].contains(#""pHash":"#) && lines[1].contains(#""pHash":"#) && lines[2] == "fallback=0")
        #expect(lines[3].contains("could not use a temporary file") && lines[4].contains("could not use a temporary file"))
        #expect(lines[5] == "full=1")
        // An interlaced GIF frame, a row of TIFF tiles and a WebP's copy of its file, the same way.
        #expect(lines[6...8].allSatisfy { $0.contains("could not use a temporary file") }, "\(r.stdout)")
        #expect(lines[9] == "held=1")
    }
}
