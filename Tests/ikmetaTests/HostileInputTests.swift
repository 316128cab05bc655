import Foundation
import Testing

/// Inputs a hostile user or a careless operator gives: FIFOs, huge directories, names that are
/// not UTF-8, broken lists, absurd --jobs. Each test builds its own input; `timeout` turns a hang
/// into a failure (status 124).
@Suite(.serialized)
struct HostileInputTests {
    private func folder() throws -> URL { try CLI.temporaryFolder() }

    /// Directory entries are read up to their NUL: names of every length in a directory of 1,500
    /// entries all come back exactly (the AddressSanitizer run of CI walks it too).
    @Test func aLargeDirectoryIsWalkedWithEveryNameIntact() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var expected: [String] = []
        for i in 0..<1500 {
            let name = String(format: "%04d", i) + String(repeating: "n", count: i % 240) + ".txt"
            try Data("x".utf8).write(to: dir.appendingPathComponent(name))
            expected.append(dir.path + "/" + name)
        }
        let r = try CLI.run(["--no-phash", "-q", "-j", "2", dir.path])
        let files = r.stdout.split(separator: "\n").map { String($0.dropFirst(9).prefix { $0 != "\"" }) }
        #expect(files == expected)
    }

    @Test func jobsOutsideOneTo1024AreUsageErrors() throws {
        for value in ["576460752303423488", "1025", "0", "-1", "-9223372036854775808"] {
            let r = try CLI.run(["-j", value, "x.jpg"])
            #expect(r.status == 2)
            #expect(r.stderr.contains("--jobs must be between 1 and 1024"), "\(value): \(r.stderr)")
        }
        // The index commands check --jobs themselves, and name themselves in the usage line.
        for (arguments, usage) in [(["index", "build", "-o", "x.ikidx"], "ikmeta index build"), (["duplicates"], "ikmeta duplicates")] {
            for value in ["100000", "-1"] {
                let r = try CLI.run(arguments + ["-j", value, "x.jpg"])
                #expect(r.status == 2)
                #expect(r.stderr.contains("--jobs must be between 1 and 1024"), "\(value): \(r.stderr)")
                #expect(r.stderr.contains(usage), "\(r.stderr)")
            }
        }
    }

    /// A WebP cut short by another process while it is decoded is read as it was or as a
    /// truncated file, never a crash (it was mapped, and pages cut off the file raised SIGBUS),
    /// whether it is read into memory or, above `--image-memory`, copied to a temporary file.
    /// The noise image is made with Pillow (as TestImages/generate.py); without it the test skips.
    @Test func aWebPCutShortWhileReadIsNoCrash() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.shell(#"""
            python3 -c 'import os; from PIL import Image
            Image.frombytes("RGB", (2000, 2000), os.urandom(12000000)).save("noise.webp", lossless=True, method=0)' 2>/dev/null || exit 77
            for memory in 33554432 1048576; do
                for delay in 0 0.02 0.05 0.1 0.2 0.3; do
                    cp noise.webp victim.webp
                    "$IKMETA" --image-memory $memory victim.webp > /dev/null 2>&1 & reader=$!
                    sleep $delay; truncate -s 1000 victim.webp
                    wait $reader; echo -n "$? "
                done
            done
            """#, in: dir)
        try #require(r.status != 77, "Pillow with WebP is needed to make the image")
        for status in r.stdout.split(separator: " ") {
            #expect(status == "0" || status == "1", "\(r.stdout)")
        }
        #expect(r.stdout.split(separator: " ").count == 12)
    }

    /// A terminal width of 0 or less in `$COLUMNS` is ignored: the help keeps its descriptions.
    @Test func aWidthOfZeroColumnsKeepsTheHelp() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.shell(#"COLUMNS=0 "$IKMETA" distance --help; COLUMNS=-5 "$IKMETA" --help"#, in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("Print the pHash distance"), "\(r.stdout)")
        #expect(r.stdout.contains("Compute, offline, the metadata object"), "\(r.stdout)")
    }

    /// Threads the system refuses (address space too small for 64 stacks) are reported, and the
    /// run goes on with the ones it got. (`ulimit -u` does not bind root, so the address space is
    /// limited instead; an AddressSanitizer build reserves terabytes of it and cannot start so.)
    @Test(.enabled(if: !CLI.executable.path.contains("asan"), "AddressSanitizer builds cannot run under ulimit -v"))
    func refusedWorkerThreadsGiveAWarningNotATrap() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 2,000 files: the first threads are still busy long after the 64th is asked for (with a
        // few files they could finish, and free their stacks, before it), and 64 stacks of 8 MiB
        // are more than the 200 MB of address space.
        let r = try CLI.shell(#"""
            for i in $(seq 1 2000); do ln "$IMAGES/grey.jpg" "copy-$i.jpg" 2>/dev/null || cp "$IMAGES/grey.jpg" "copy-$i.jpg"; done
            ulimit -v 200000; timeout 60 "$IKMETA" -j 64 -q --no-phash --files-from <(ls copy-*.jpg)
            """#, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count == 2000)
        #expect(r.stderr.contains("worker threads"))
    }

    /// A FIFO (no writer) given as a file or met in a directory gets an error line at once, in
    /// every command.
    @Test func fifosAreRefusedInEveryCommand() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            mkfifo pipe.jpg; mkdir d; mkfifo d/inner.png; cp "$IMAGES/rgb.png" d/
            timeout 20 "$IKMETA" --time-limit 1 --no-phash pipe.jpg; echo "read=$?"
            timeout 20 "$IKMETA" --no-phash -q d; echo "walk=$?"
            timeout 20 "$IKMETA" phash pipe.jpg; echo "phash=$?"
            timeout 20 "$IKMETA" distance pipe.jpg 0; echo "distance=$?"
            echo '{}' > r.json; timeout 20 "$IKMETA" compare pipe.jpg r.json; echo "compare=$?"
            timeout 20 "$IKMETA" index build pipe.jpg -o x.ikidx; echo "index=$?"
            timeout 20 "$IKMETA" duplicates pipe.jpg d/rgb.png; echo "duplicates=$?"
            timeout 20 "$IKMETA" similar --index pipe.jpg 0; echo "similar=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        for (command, status) in [("read", 1), ("walk", 1), ("phash", 1), ("distance", 1), ("compare", 2), ("index", 1),
            ("duplicates", 2), ("similar", 2)] {
            #expect(r.stdout.contains("\(command)=\(status)\n"), "\(command): \(r.stdout)")
        }
        #expect(r.stdout.contains(#"d/inner.png","error":{"message":"#))
        #expect(r.stdout.contains(#"d/rgb.png","metadata""#))
        #expect(r.stderr.contains("not a regular file"))
    }

    /// A name with bytes that are not UTF-8 is opened by its bytes, from argv, a walk and a list.
    @Test func namesThatAreNotUTF8AreReadByTheirBytes() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            name=$(printf 'caf\351.png'); mkdir d; cp "$IMAGES/rgb.png" "d/$name"
            "$IKMETA" --no-phash "d/$name"; echo "arg=$?"
            "$IKMETA" --no-phash -q d; echo "walk=$?"
            printf 'd/%s\n' "$name" | "$IKMETA" --no-phash --files-from -; echo "list=$?"
            "$IKMETA" exif --json "d/$name" | head -c 40; echo; "$IKMETA" exif --table "d/$name" | head -1
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout.contains("arg=0") && r.stdout.contains("walk=0") && r.stdout.contains("list=0"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(#"{"file":"d/caf\\xE9.png","metadata":{"height":48"#))
        #expect(!r.stdout.contains("error"))
        // `exif` writes the name as `read` does, in JSON and in a table.
        #expect(r.stdout.contains(#"{"file":"d/caf\\xE9.png","source":"#), "\(r.stdout)")
        #expect(r.stdout.contains("\nd/caf\\xE9.png"), "\(r.stdout)")
    }

    /// List lines: a NUL stops the run, CRLF blank lines are skipped, an endless line is refused.
    @Test func fileListsAreCheckedLineByLine() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            printf 'a\0b\n' | "$IKMETA" --files-from -; echo "nul=$?"
            printf '\r\n%s\r\n\r\n' "$IMAGES/rgb.png" | "$IKMETA" --no-phash --files-from -; echo "crlf=$?"
            timeout 20 "$IKMETA" --files-from /dev/zero; echo "zero=$?"
            head -c 10000 /dev/zero | tr '\0' a | timeout 20 "$IKMETA" --files-from -; echo "long=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout.contains("nul=2") && r.stdout.contains("zero=2") && r.stdout.contains("long=2"), "\(r.stdout)")
        #expect(r.stdout.contains("crlf=0"))
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 1)
        #expect(r.stderr.contains("contains a NUL byte") && r.stderr.contains("longer than 4096 bytes"))
    }

    /// ESC and other control bytes of a file name reach stderr escaped, never raw.
    @Test func controlBytesInNamesAreEscapedOnStderr() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.shell(#"n=$(printf 'x\033[2J\033]0;t\007.jpg'); echo no > "$n"; "$IKMETA" phash "$n"; "$IKMETA" "$n""#, in: dir)
        #expect(!r.stderr.utf8.contains(0x1B) && !r.stderr.utf8.contains(0x07))
        #expect(r.stderr.contains(#"x\x1B[2J\x1B]0;t\x07.jpg"#))
    }

    @Test func prettyWithJSONLinesIsRefused() throws {
        let r = try CLI.run(["--pretty", "--jsonl", "TestImages/rgb.png"], in: CLI.repository)
        #expect(r.status == 2 && r.stderr.contains("--pretty"))
        #expect(r.stdout.isEmpty)
    }

    /// Links to directories are followed; a loop is walked once and named on stderr.
    @Test func symbolicLinksToDirectoriesAreFollowedOnce() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = #"""
            mkdir -p top/real; cp "$IMAGES/rgb.png" top/real/; ln -s real top/link; ln -s .. top/real/up
            timeout 20 "$IKMETA" --no-phash -q top; echo "status=$?"
            """#
        let r = try CLI.shell(script, in: dir)
        #expect(r.stdout.contains("status=0"))
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 1)
        // top/link is walked first (sorted), so top/link/up (the loop) and top/real are noted.
        #expect(r.stderr.contains("skipped top/link/up: it leads to top,"), "\(r.stderr)")
        #expect(r.stderr.contains("skipped top/real: it leads to top/link,"))
    }
}
