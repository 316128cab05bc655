import Foundation
import Testing

/// `ikmeta exif`: golden JSON lines for every container and byte order, the input model, the
/// thumbnail writer.
struct ExifCommandTests {
    static let folder = CLI.testImages.appendingPathComponent("exif-view")
    static let images: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") || $0.hasSuffix(".webp") || $0.hasSuffix(".tif") }
            .sorted()
    }()

    @Test func thereAreImagesForEveryContainerAndByteOrder() {
        #expect(Self.images.count == 10)
    }

    @Test("golden JSON line (TestImages/exif-view/expected, checked against Pillow)", arguments: images)
    func golden(name: String) throws {
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("expected/\(name).json"), encoding: .utf8)
        let out = try CLI.run(["exif", "--json", name], in: Self.folder)
        #expect(out.status == 0 && out.stderr.isEmpty)
        #expect(out.stdout == expected)
    }

    @Test func tableForPeople() throws {
        let out = try CLI.run(["exif", "--table", "mm.jpg"], in: Self.folder)
        #expect(out.status == 0)
        #expect(out.stdout.hasPrefix("mm.jpg — JPEG APP1, big-endian (MM)\nIFD0\n"))
        #expect(out.stdout.contains("  ExposureTime             1/160 sec.\n"))
        #expect(out.stdout.contains("  FNumber                  f/7.1  (71/10)\n"))
        #expect(out.stdout.contains("  GPS position             -33.858558, -70.412367, -12.5 m, 2026-12-04T14:05:30Z\n"))
        #expect(!out.stdout.contains("\u{1B}["))  // no colour off a terminal
    }

    @Test func directoriesFileListsAndNoExif() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for (from, to) in [("exif-view/mm.webp", "a.webp"), ("exif-view/ii.tif", "sub/b.tif"), ("rgb.png", "sub/c.png")] {
            try FileManager.default.copyItem(at: CLI.testImages.appendingPathComponent(from), to: dir.appendingPathComponent(to))
        }
        let list = CLI.testImages.appendingPathComponent("exif-view/ii.jpg").path + "\n"
        let out = try CLI.run(["exif", "--json", "--jobs", "2", "--files-from", "-", "."], input: list, in: dir)
        let lines = out.stdout.split(separator: "\n")
        #expect(out.status == 0 && lines.count == 4)
        #expect(lines[0].hasPrefix(#"{"file":"./a.webp","source":"WebP EXIF","byteOrder":"big""#))
        #expect(lines[1].hasPrefix(#"{"file":"./sub/b.tif","source":"TIFF IFD0","byteOrder":"little""#))
        #expect(lines[2] == #"{"file":"./sub/c.png","source":null,"byteOrder":null,"tags":[]}"#)
        #expect(lines[3].contains(#""source":"JPEG APP1""#))
    }

    @Test func unreadableFileIsAnErrorLine() throws {
        let out = try CLI.run(["exif", "--json", "missing.jpg", "rgb.png"], in: CLI.testImages)
        #expect(out.status == 1)
        #expect(out.stdout.hasPrefix(#"{"file":"missing.jpg","error":{"#))
        #expect(out.stderr.contains("missing.jpg"))
    }

    @Test func thumbnailIsWrittenOnceAndNeverReplaced() throws {
        let dir = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try CLI.run(["exif", "--json", "--extract-thumbnail", dir.path, "ii.jpg"], in: Self.folder)
        #expect(first.status == 0)
        let target = dir.appendingPathComponent("ii.jpg.thumb.jpg")
        let written = try Data(contentsOf: target)
        #expect(written.starts(with: [0xFF, 0xD8]))
        try Data("keep".utf8).write(to: target)
        let second = try CLI.run(["exif", "--json", "--extract-thumbnail", dir.path, "ii.jpg"], in: Self.folder)
        #expect(second.status == 1 && second.stderr.contains("already exists"))
        #expect(try Data(contentsOf: target) == Data("keep".utf8))
        // A dangling link in its place is neither followed nor replaced, and the reason is given.
        try FileManager.default.removeItem(at: target)
        try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: dir.appendingPathComponent("elsewhere").path)
        let third = try CLI.run(["exif", "--json", "--extract-thumbnail", dir.path, "ii.jpg"], in: Self.folder)
        #expect(third.status == 1 && third.stderr.contains("cannot write the thumbnail to") && third.stderr.contains("File exists"), "\(third.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("elsewhere").path))
        // A write that fails (here past `ulimit -f`) leaves no part of a thumbnail behind.
        try FileManager.default.removeItem(at: target)
        let image = Self.folder.appendingPathComponent("ii.jpg").path
        // stderr goes to a pipe, which the limit does not cover.
        let full = try CLI.shell("""
            (ulimit -f 0; env --default-signal=XFSZ "$IKMETA" exif --json --extract-thumbnail '\(dir.path)' '\(image)' 2>&1 >/dev/null
             echo "status=$?") | cat
            """, in: dir)
        #expect(full.stdout.contains("File too large") && full.stdout.hasSuffix("status=1\n"), "\(full.stdout)\(full.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }
}
