import Foundation
import Testing
import ImageMetadata

/// `Limits.inMemoryImageBytes`: a progressive JPEG's coefficients, an interlaced PNG's passes and an
/// interlaced GIF frame move
/// to a temporary file above it. The answer must not change, whether the file holds everything
/// (limit 0, a window of a few rows that moves all the time) or nothing does.
struct WholeImageSpillTests {
    static let folder = GoldenFileTests.folder

    static func read(_ bytes: [UInt8], inMemory: Int) throws -> String {
        var options = ReadOptions()
        options.limits.inMemoryImageBytes = inMemory
        let result = try MetadataReader.read(bytes: bytes, options: options)
        let diagnostics = result.diagnostics.map { "\($0)" }.joined(separator: "\n")
        return JSONWriter.compact(.object(result.metadata.json)) + "\n" + diagnostics
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    @Test(arguments: ["progressive.jpg", "interlaced.png", "gif-interlaced.gif"])
    func spilledDecodeMatchesTheExpectedObject(name: String) throws {
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("expected/\(name).json"), encoding: .utf8)
        let image = try Self.bytes(name)
        for inMemory in [0, 1, 4096, Int.max] {
            let json = try Self.read(image, inMemory: inMemory).split(separator: "\n", omittingEmptySubsequences: false)[0]
            #expect(json + "\n" == expected, "inMemoryImageBytes \(inMemory)")
        }
    }

    /// A progressive file whose later scans are missing (cut before a scan, EOI appended): libjpeg
    /// smooths the blocks whose coefficients never came and reads rows behind the current one, so the
    /// spilled window must also move backwards.
    @Test func progressiveFileWithoutItsLastScansGivesTheSameHashSpilled() throws {
        let image = try Self.bytes("progressive.jpg")
        // 0xFF 0xDA only occurs as the start-of-scan marker: entropy-coded 0xFF bytes are stuffed with 0x00.
        let scans = image.indices.dropLast().filter { image[$0] == 0xFF && image[$0 + 1] == 0xDA }
        #expect(scans.count >= 4)
        for scan in scans.dropFirst(2) {
            let cut = Array(image[..<scan]) + [0xFF, 0xD9]
            let whole = try Self.read(cut, inMemory: Int.max)
            #expect(whole.contains("\"pHash\":\""), "cut before the scan at byte \(scan)")
            #expect(try Self.read(cut, inMemory: 0) == whole)
            #expect(try Self.read(cut, inMemory: 2048) == whole)
        }
    }
}
