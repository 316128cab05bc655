import Foundation
import ImageMetadata
import Testing

/// Files written by ImageKit's real Python SDK (imagekitio 5.x) from API bodies, made by
/// TestImages/make-sdk-responses.py (CI: .ci/steps/70-package.sh).
enum SDKResponses {
    static let folder = CLI.testImages.appendingPathComponent("sdk-responses")
    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("file-details.to_json.json").path) }
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

@Suite(.enabled(if: SDKResponses.available,
                "TestImages/sdk-responses/ is missing: make it with TestImages/make-sdk-responses.py in a venv with imagekitio 5.x"))
struct SDKResponseTests {
    static let dumps = ["exif-camera.jpg", "rgb.png", "jfif-300dpi.jpg"].flatMap { image in
        ["to_dict", "to_json", "model_dump"].map { (image, "\(image).\($0).json") }
    }

    @Test(arguments: dumps)
    func everySDKDumpOfTheImagesOwnBodyAgrees(image: String, dump: String) throws {
        let imagePath = CLI.testImages.appendingPathComponent(image).path
        let r = try CLI.run(["compare", imagePath, SDKResponses.path(dump)])
        #expect(r.status == 0, "\(dump): \(r.stdout)\(r.stderr)")
        let fields = try ResponseFixtures.localObject(imagePath).count
        #expect(r.stdout.hasSuffix("\(fields) of \(fields) fields agree\n"), "\(dump): \(r.stdout)")
        // The SDK sorts keys: the order is reported on its own line and does not count...
        let order = try #require(r.stdout.line(for: "key order"), "\(r.stdout)")
        #expect(order.contains(" not counted ") && order.contains("--strict-order"), "\(order)")
        // ...unless asked to.
        let strict = try CLI.run(["compare", "--strict-order", imagePath, SDKResponses.path(dump)])
        #expect(strict.status == 1, "\(strict.stdout)")
        #expect(strict.stdout.line(for: "key order")?.contains(" different ") == true)
    }

    @Test func aChangedValueInAModelDumpIsFoundByName() throws {
        let text = try String(contentsOfFile: SDKResponses.path("exif-camera.jpg.model_dump.json"), encoding: .utf8)
        guard case .object(var dump) = try JSONParser.parse(text), case .bool(let profile)? = dump["has_color_profile"],
              case .object(var exif)? = dump["exif"], case .object(var image)? = exif["image"] else {
            Issue.record("unexpected model_dump(): \(text)")
            return
        }
        // model_dump() writes this property twice, as has_color_profile and hasColorProfile.
        dump["has_color_profile"] = .bool(!profile)
        if dump["hasColorProfile"] != nil { dump["hasColorProfile"] = .bool(!profile) }
        image["make"] = "Another Maker"
        exif["image"] = .object(image)
        dump["exif"] = .object(exif)
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try ResponseFixtures.save(.object(dump), as: "changed.json", in: folder)
        let r = try CLI.run(["compare", ResponseFixtures.image, path])
        #expect(r.status == 1)
        #expect(r.stdout.line(for: "hasColorProfile")?.contains("local \(profile), response \(!profile)") == true, "\(r.stdout)")
        #expect(r.stdout.contains(#"    exif.image.Make  local "ikmeta", response "Another Maker""#), "\(r.stdout)")
    }

    @Test func anSDKUploadResultWithMetadataIsReadThroughIt() throws {
        let r = try CLI.run(["compare", ResponseFixtures.image, SDKResponses.path("upload-with-metadata.model_dump.json")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test(arguments: ["upload-without-metadata.to_json.json", "file-details.to_json.json"])
    func resultsWithoutMetadataExitWithTwoAndAHint(name: String) throws {
        let r = try CLI.run(["compare", ResponseFixtures.image, SDKResponses.path(name)])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("responseFields=metadata") && r.stderr.contains("GET /v1/files/{fileId}/metadata"), "\(r.stderr)")
    }
}
