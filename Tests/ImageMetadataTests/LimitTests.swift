import Foundation
import Testing
import ImageMetadata

/// `Limits`: a file over a limit gets an error naming the limit; nothing is silently cut short.
struct LimitTests {
    static let image = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestImages/rgb.png").path

    static func options(_ change: (inout Limits) -> Void, pHash: ReadOptions.PHashMode = .exact) -> ReadOptions {
        var limits = Limits()
        change(&limits)
        return ReadOptions(pHash: pHash, limits: limits)
    }

    @Test func pixelLimitRefusesTheDecodeButNotTheHeaderOnlyRead() throws {
        #expect(throws: MetadataError.overLimit(what: "pixel count", value: 64 * 48, limit: 1000)) {
            try MetadataReader.read(path: Self.image, options: Self.options { $0.pixels = 1000 })
        }
        let headers = try MetadataReader.read(path: Self.image, options: Self.options({ $0.pixels = 1000 }, pHash: .none))
        #expect(headers.metadata.width == 64 && headers.metadata.pHash == nil)
    }

    @Test func timeLimitStopsTheDecode() {
        #expect(throws: MetadataError.timeLimit(seconds: 1e-9)) {
            try MetadataReader.read(path: Self.image, options: Self.options { $0.seconds = 1e-9 })
        }
    }

    @Test func fileSizeLimit() {
        #expect(throws: MetadataError.overLimit(what: "file size in bytes", value: 543, limit: 100)) {
            try MetadataReader.read(path: Self.image, options: Self.options { $0.fileSize = 100 })
        }
    }

    @Test func errorsNameTheLimitAndHowToRaiseIt() {
        let error = MetadataError.overLimit(what: "pixel count", value: 280_000_000, limit: 268_402_689)
        #expect(error.message == "The pixel count (280000000) exceeds the limit of 268402689.")
        #expect(error.help.contains("raise this limit"))
    }
}
