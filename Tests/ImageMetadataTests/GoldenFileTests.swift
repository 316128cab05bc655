import Foundation
import Testing
import ImageMetadata

/// Every image in TestImages/ against its expected/<name>.json (checked independently by
/// TestImages/update-expected.py). On a mismatch the actual output is written beside the
/// expected file as <name>.actual.json for diffing.
struct GoldenFileTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestImages")

    static let images: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let kinds = [".jpg", ".png", ".gif", ".webp", ".tif", ".heic", ".avif", ".bmp", ".ico"]
        return names.filter { name in kinds.contains { name.hasSuffix($0) } }.sorted()
    }()

    @Test func thereAreTestImages() {
        #expect(Self.images.count >= 10, "TestImages/ should hold the generated images")
    }

    @Test(arguments: images)
    func matchesExpected(name: String) throws {
        let expectedURL = Self.folder.appendingPathComponent("expected/\(name).json")
        let actualURL = Self.folder.appendingPathComponent("expected/\(name).actual.json")
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        let result = try MetadataReader.read(path: Self.folder.appendingPathComponent(name).path)
        let actual = JSONWriter.compact(.object(result.metadata.json)) + "\n"
        if actual == expected {
            try? FileManager.default.removeItem(at: actualURL)
        } else {
            try actual.write(to: actualURL, atomically: true, encoding: .utf8)
        }
        #expect(actual == expected, "diff \(expectedURL.path) \(actualURL.path)")
    }
}
