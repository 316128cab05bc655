import Foundation
import ImageMetadata
import Testing

/// `ikmeta distance A B` with ImageKit's SDK vectors and messages (SPEC §4, phash.md §4).
struct DistanceCommandTests {
    @Test("SDK distance vectors", arguments: [
        ("f06830ca9f1e3e90", "f06830ca9f1e3e90", 0),
        ("2d5ad3936d2e015b", "2d6ed293db36a4fb", 17),
        ("a4a65595ac94518b", "7838873e791f8400", 37),
        ("33699c96619cc69e", "968e978414fe04ea", 30),
        ("63433b3ccf8e1ebe", "f5d2226cd9d32b16", 27),
        ("63433B3CCF8E1EBE", "61433b3fcf8f9faf", 8),
        ("1", "0000000000000000", 1),
    ])
    func vectors(a: String, b: String, distance: Int) throws {
        let r = try CLI.run(["distance", a, b])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "\(distance)\n")
    }

    @Test("missing values", arguments: [["distance"], ["distance", "63433b3ccf8e1ebe"], ["distance", "", "1"]])
    func missing(arguments: [String]) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("Missing pHash value: Please pass two pHash values"))
    }

    @Test("invalid values", arguments: ["xyz", "0x12", "12345678901234567", "no-such-image.jpg"])
    func invalid(value: String) throws {
        let r = try CLI.run(["distance", "63433b3ccf8e1ebe", value])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Invalid pHash value: Both pHash strings must be valid hexadecimal numbers"))
        #expect(r.stderr.contains(value))
    }

    @Test func moreThanTwoValuesIsAUsageError() throws {
        let r = try CLI.run(["distance", "1", "2", "3"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Unexpected argument '3'"))
    }

    @Test func anExistingFileIsReadAsAnImage() throws {
        let image = ResponseFixtures.image
        let local = try ResponseFixtures.localObject(image)
        let r = try CLI.run(["distance", image, "0"])
        if case .string(let hash)? = local["pHash"] {
            #expect(r.status == 0)
            #expect(r.stdout == "\(UInt64(hash, radix: 16)!.nonzeroBitCount)\n")
            #expect(try CLI.run(["distance", image, hash]).stdout == "0\n")
            #expect(try CLI.run(["distance", image, image]).stdout == "0\n")
        } else {
            #expect(r.status == 1)
            #expect(r.stderr.contains("No pHash"))
        }
        let text = try CLI.run(["distance", CLI.repository.appendingPathComponent("Package.swift").path, "0"])
        #expect(text.status == 1)
        #expect(text.stderr.contains("not an image"))
    }

    @Test func aFileNamedLikeAHashIsAFile() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("abc"))
        let r = try CLI.run(["distance", "abc", "abc"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("abc: The file is not an image"))
        #expect(try CLI.run(["distance", "abd", "abc"], in: folder.deletingLastPathComponent()).stdout == "1\n")
    }
}
