import Foundation
import ImageMetadata
import Testing

/// `ikmeta compare FILE RESPONSE.json` on saved responses made from a real run (SPEC §1–§4).
@Suite(.serialized)
struct CompareCommandTests {
    let folder: URL
    let local: JSONObject

    init() throws {
        folder = try CLI.temporaryFolder()
        local = try ResponseFixtures.localObject(ResponseFixtures.image)
    }

    private func compare(_ response: JSONValue, _ extra: [String] = []) throws -> CLI.Output {
        let path = try ResponseFixtures.save(response, as: "response-\(UUID().uuidString).json", in: folder)
        return try CLI.run(["compare"] + extra + [ResponseFixtures.image, path])
    }

    @Test func theImagesOwnObjectMatches() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try compare(.object(local))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for key in local.keys {
            #expect(r.stdout.line(for: key)?.contains(" equal ") == true, "\(key): \(r.stdout)")
        }
        #expect(r.stdout.hasSuffix("\(local.count) of \(local.count) fields agree\n"))
    }

    @Test func anUploadResponseIsReadThroughItsMetadataKey() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let upload = JSONObject([
            ("fileId", "598821f949c0a938d57563bd"), ("name", "photo.jpg"), ("size", 999_999),
            ("height", 1), ("width", 1), ("metadata", .object(local)),
        ])
        let r = try compare(.object(upload))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.line(for: "size")?.contains(" equal ") == true)
    }

    @Test func anUploadResultWithoutMetadataIsNotComparedButExplained() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let upload = JSONObject([
            ("fileId", "598821f949c0a938d57563bd"), ("name", "photo.jpg"), ("size", 999_999),
            ("height", 1), ("width", 1), ("fileType", "image"),
        ])
        let r = try compare(.object(upload))
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("without a `metadata` object"), "\(r.stderr)")
        #expect(r.stderr.contains("responseFields=metadata") && r.stderr.contains("GET /v1/files/{fileId}/metadata"))
    }

    @Test func helpNamesTheShapesItReads() throws {
        let help = try CLI.run(["compare", "--help"]).stdout
        for shape in ["responseFields=metadata", "to_dict()", "model_dump()", "--strict-order"] {
            #expect(help.contains(shape), "\(shape)")
        }
        #expect(help.contains("File-details results and uploads without responseFields=metadata carry"))
    }

    @Test func theResponseCanComeFromStandardInput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let same = try CLI.run(["compare", ResponseFixtures.image, "-"], input: JSONWriter.compact(.object(local)))
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        guard case .number(let quality)? = local["quality"] else {
            Issue.record("no quality in \(local)")
            return
        }
        var response = local
        response["quality"] = .number(quality + 90)
        let off = try CLI.run(["compare", ResponseFixtures.image, "-"], input: JSONWriter.compact(.object(response)))
        #expect(off.status == 1)
        #expect(off.stdout.line(for: "quality")?.contains("local \(Int(quality)), response \(Int(quality) + 90)") == true)
        let folderAsResponse = try CLI.run(["compare", ResponseFixtures.image, folder.path])
        #expect(folderAsResponse.status == 2)
        #expect(folderAsResponse.stderr.contains("is a directory"))
    }

    @Test func oneFieldOffIsReportedWithBothValues() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .number(let width)? = local["width"], case .bool(let profile)? = local["hasColorProfile"] else {
            Issue.record("unexpected local object \(local)")
            return
        }
        var response = local
        response["width"] = .number(width + 1)
        let r = try compare(.object(response))
        #expect(r.status == 1)
        let line = try #require(r.stdout.line(for: "width"))
        #expect(line.contains(" different "))
        #expect(line.contains("local \(Int(width)), response \(Int(width) + 1)"))
        #expect(r.stdout.line(for: "height")?.contains(" equal ") == true)
        #expect(r.stdout.hasSuffix("\(local.count - 1) of \(local.count) fields agree; the objects differ\n"))

        response = local
        response["hasColorProfile"] = .bool(!profile)
        let r2 = try compare(.object(response))
        #expect(r2.status == 1)
        #expect(r2.stdout.line(for: "hasColorProfile")?.contains("local \(profile), response \(!profile)") == true)
    }

    @Test func missingAndExtraFieldsDiffer() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var response = local
        response["density"] = nil
        response["bitRate"] = 128
        let r = try compare(.object(response))
        #expect(r.status == 1)
        #expect(r.stdout.line(for: "density")?.contains("missing from the response") == true)
        #expect(r.stdout.line(for: "bitRate")?.contains("only in the response") == true)
    }

    @Test func keyOrderIsPartOfTheObject() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let reordered = JSONObject(local.pairs.reversed().map { ($0.key, $0.value) })
        let r = try compare(.object(reordered))
        #expect(r.status == 1)
        #expect(r.stdout.line(for: "key order")?.contains(" different ") == true)
        #expect(r.stdout.contains("    (top level)  local height,width,"), "\(r.stdout)")
        for key in local.keys { #expect(r.stdout.line(for: key)?.contains(" equal ") == true) }
    }

    @Test(.enabled(if: ResponseFixtures.imageHasExifEntries, "needs an exif object from the EXIF reader"))
    func exifIsComparedPathByPath() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .object(var exif)? = local["exif"], case .object(var ifd0)? = exif["image"],
              let key = ifd0.keys.first else { return }
        ifd0[key] = .string("changed by the test")
        ifd0["AddedByTheTest"] = 1
        exif["image"] = .object(ifd0)
        var response = local
        response["exif"] = .object(exif)
        let r = try compare(.object(response))
        #expect(r.status == 1)
        #expect(r.stdout.line(for: "exif")?.contains("2 paths differ") == true, "\(r.stdout)")
        #expect(r.stdout.contains("    exif.image.\(key)  local "))
        #expect(r.stdout.contains(#", response "changed by the test""#))
        #expect(r.stdout.contains("    exif.image.AddedByTheTest  local (absent), response 1 (only in the response)"))
    }

    @Test(.enabled(if: ResponseFixtures.imageHasPHash, "needs the pixel pipeline's pHash"))
    func pHashAgreesWithinTheTolerance() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .string(let hash)? = local["pHash"] else { return }
        var response = local
        response["pHash"] = .string(ResponseFixtures.flip(hash, bits: 3))
        let off = try compare(.object(response))
        #expect(off.status == 1)
        #expect(off.stdout.line(for: "pHash")?.contains("distance 3 > tolerance 2") == true, "\(off.stdout)")
        let tolerant = try compare(.object(response), ["--tolerance", "3"])
        #expect(tolerant.status == 0)
        #expect(tolerant.stdout.line(for: "pHash")?.contains("within tolerance") == true)

        response["pHash"] = .string(ResponseFixtures.flip(hash, bits: 2).uppercased())
        let close = try compare(.object(response))
        #expect(close.status == 0)
        #expect(close.stdout.line(for: "pHash")?.contains("distance 2 ≤ tolerance 2") == true)
    }

    @Test func aResponseForAnotherImageDiffers() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = try ResponseFixtures.localObject(ResponseFixtures.otherImage)
        let r = try compare(.object(other))
        #expect(r.status == 1)
        for key in ["size", "format"] {
            #expect(r.stdout.line(for: key)?.contains(" different ") == true, "\(key): \(r.stdout)")
        }
        if case .string(let a)? = local["pHash"], case .string(let b)? = other["pHash"], a != b {
            #expect(r.stdout.line(for: "pHash")?.contains(" different ") == true)
        }
    }

    @Test func malformedJSONIsAnErrorWithItsByteOffset() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = #"{"height": 48, "width": 64,"#
        let path = try ResponseFixtures.save(text: text, as: "broken.json", in: folder)
        let r = try CLI.run(["compare", ResponseFixtures.image, path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("invalid JSON at byte \(text.utf8.count): unexpected end of input"), "\(r.stderr)")

        let trailing = try ResponseFixtures.save(text: #"{"height": 48,}"#, as: "trailing.json", in: folder)
        let t = try CLI.run(["compare", ResponseFixtures.image, trailing])
        #expect(t.status == 2)
        #expect(t.stderr.contains("invalid JSON at byte 14"), "\(t.stderr)")
    }

    @Test func responsesThatAreNotMetadataAreErrors() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let array = try ResponseFixtures.save(text: "[1, 2]", as: "array.json", in: folder)
        let a = try CLI.run(["compare", ResponseFixtures.image, array])
        #expect(a.status == 2)
        #expect(a.stderr.contains("not a JSON object"))

        let error = JSONValue.object(JSONObject([("message", "Your request contains invalid fileId parameter."),
                                                 ("help", "For support kindly contact us at support@imagekit.io .")]))
        let e = try CLI.run(["compare", ResponseFixtures.image, try ResponseFixtures.save(error, as: "error.json", in: folder)])
        #expect(e.status == 2)
        #expect(e.stderr.contains("an ImageKit error, not metadata: Your request contains invalid fileId parameter."))

        let missing = try CLI.run(["compare", ResponseFixtures.image, folder.appendingPathComponent("none.json").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Cannot open"))

        let valid = try ResponseFixtures.save(.object(local), as: "valid.json", in: folder)
        let notImage = try CLI.run(["compare", valid, valid])
        #expect(notImage.status == 2)
        #expect(notImage.stderr.contains("not an image"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CLI.run(["compare", ResponseFixtures.image]).status == 2)
        #expect(try CLI.run(["compare", "--tolerance", "65", ResponseFixtures.image, "r.json"]).status == 2)
    }
}
