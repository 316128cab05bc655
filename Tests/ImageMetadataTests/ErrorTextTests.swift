import Foundation
import ImageMetadata
import Testing

/// MetadataError reads the same in a program as in the tool, and its help names no tool option.
struct ErrorTextTests {
    static let errors: [MetadataError] = [
        .cannotOpen(path: "/nowhere/x.jpg", errno: ENOENT), .isDirectory(path: "/tmp"), .notARegularFile(path: "/dev/null"),
        .empty, .notAnImage, .unsupportedFormat(.webp), .truncatedHeader(format: .jpg, detail: "no SOF"),
        .invalidHeader(format: .png, detail: "bad IHDR"), .overLimit(what: "pixel count", value: 2, limit: 1),
        .timeLimit(seconds: 1), .temporaryFile(detail: "no space"),
        .missingLibrary(format: .heic, detail: "libheif could not be loaded"),
    ]

    @Test(arguments: errors)
    func descriptionAndLocalizedErrorGiveTheMessageAndHelp(error: MetadataError) {
        #expect(error.description == error.message)
        #expect("\(error)" == error.message)
        #expect(error.errorDescription == error.message)
        #expect(error.recoverySuggestion == error.help)
        #expect((error as Error).localizedDescription == error.message)
        #expect(!error.help.contains("--") && !error.help.contains("`"), "\(error.help)")
    }
}
