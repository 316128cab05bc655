import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import ImageKitMirror
import ImageMetadata
import Testing

/// The routes in-process (issue "Endpoints", "Errors", "Durability"); the official SDK's view is
/// in Tests/Server/test_sdk.py.
@Suite struct RouteTests {
    static let key = "test_key"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let image = repository.appendingPathComponent("TestImages/exif-camera.jpg").path

    /// A fresh library in a temporary folder, served in-process.
    static func withServer(maxUploadSize: Int = 25 << 20, _ body: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ikmeta-server-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let library = try MediaLibrary(configuration: MirrorConfiguration(dataDirectory: folder, privateKey: key, maxUploadSize: maxUploadSize))
        let app = Application(router: Routes.router(library: library, privateKey: key))
        try await app.test(.router) { client in try await body(client, folder) }
        try await library.shutdown()
    }

    static func auth(_ user: String = key) -> HTTPFields {
        [.authorization: "Basic " + Data((user + ":do_not_set").utf8).base64EncodedString()]
    }

    /// A multipart/form-data body: text fields, and `file` as a file part when `bytes` is given.
    static func multipart(_ fields: [(String, String)], file bytes: [UInt8]? = nil) -> (HTTPFields, ByteBuffer) {
        let boundary = "test-boundary-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let bytes {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = auth()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return (headers, body)
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(Array(buffer.readableBytesView)) else { throw CocoaError(.coderInvalidValue) }
        return object
    }

    static func upload(_ client: any TestClientProtocol, _ fields: [(String, String)], file: [UInt8]?) async throws -> TestResponse {
        let (headers, body) = multipart(fields, file: file)
        return try await client.execute(uri: "/api/v1/files/upload", method: .post, headers: headers, body: body)
    }

    @Test func anUploadReturnsImageKitsFieldsAndTheExactMetadata() async throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.image)))
        let expected = JSONWriter.compactBytes(.object(try await MetadataReader.read(path: Self.image).metadata.json))
        try await Self.withServer { client, _ in
            let response = try await Self.upload(client, [("fileName", "photo.jpg"), ("folder", "/a/b"), ("responseFields", "metadata,tags"), ("tags", "x,y")], file: bytes)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.headers[HTTPField.Name("x-ik-requestId")!] != nil)
            let object = try Self.json(response.body)
            guard case .string(let fileId)? = object["fileId"], case .string(let name)? = object["name"], case .string(let path)? = object["filePath"] else {
                Issue.record("no fileId/name/filePath in \(object)")
                return
            }
            #expect(name.hasPrefix("photo_") && name.hasSuffix(".jpg") && name.count == "photo_".count + 9 + 4, "\(name)")
            #expect(path == "/a/b/" + name)
            #expect(object["tags"] == .array(["x", "y"]))
            #expect(Array(response.body.readableBytesView).ends(with: Array(#""metadata":"#.utf8) + expected + [UInt8(ascii: "}")]))

            let metadata = try await client.execute(uri: "/v1/files/\(fileId)/metadata", method: .get, headers: Self.auth())
            #expect(metadata.status == .ok)
            #expect(Array(metadata.body.readableBytesView) == expected)

            let served = try await client.execute(uri: path, method: .get)
            #expect(Array(served.body.readableBytesView) == bytes)

            let deleted = try await client.execute(uri: "/v1/files/\(fileId)", method: .delete, headers: Self.auth())
            #expect(deleted.status == .noContent)
            let gone = try await client.execute(uri: "/v1/files/\(fileId)/details", method: .get, headers: Self.auth())
            #expect(gone.status == .notFound)
            #expect(try Self.json(gone.body)["message"] == "The requested file does not exist or is inaccessible at this time.")
        }
    }

    @Test func base64UploadsAndOverwritesKeepTheFileId() async throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.image)))
        try await Self.withServer { client, _ in
            let fields = [("fileName", "same.jpg"), ("useUniqueFileName", "false")]
            let first = try Self.json(try await Self.upload(client, fields + [("file", Data(bytes).base64EncodedString())], file: nil).body)
            let second = try Self.json(try await Self.upload(client, fields, file: bytes).body)
            #expect(first["fileId"] != nil && first["fileId"] == second["fileId"])
            #expect(first["filePath"] == "/same.jpg")
            guard case .object(let version)? = second["versionInfo"] else { Issue.record("no versionInfo"); return }
            #expect(version["name"] == "Version 2")
            let refused = try await Self.upload(client, fields + [("overwriteFile", "false")], file: bytes)
            #expect(refused.status == .badRequest)
        }
    }

    @Test func theKeyIsChecked() async throws {
        try await Self.withServer { client, _ in
            let missing = try await client.execute(uri: "/v1/files", method: .get)
            #expect(missing.status == .unauthorized)
            #expect(try Self.json(missing.body)["message"] == "Your request does not contain private API key.")
            let wrong = try await client.execute(uri: "/v1/files", method: .get, headers: Self.auth("other"))
            #expect(wrong.status == .forbidden)
            #expect(try Self.json(wrong.body)["message"] == "Your account cannot be authenticated.")
            #expect(wrong.headers[HTTPField.Name("x-ik-requestId")!] != nil)
        }
    }

    @Test func badRequestsGetImageKitErrors() async throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.image)))
        try await Self.withServer(maxUploadSize: 1000) { client, folder in
            let invalidId = try await client.execute(uri: "/v1/files/nope/metadata", method: .get, headers: Self.auth())
            #expect(invalidId.status == .badRequest)
            let unknown = try await client.execute(uri: "/v1/files/0123456789abcdef01234567/metadata", method: .get, headers: Self.auth())
            #expect(unknown.status == .notFound)
            let tooLarge = try await Self.upload(client, [("fileName", "big.jpg")], file: bytes)
            #expect(tooLarge.status == .contentTooLarge)
            let corrupt = try await Self.upload(client, [("fileName", "bad.jpg")], file: Array("not an image".utf8))
            #expect(corrupt.status == .badRequest)
            let traversal = try await Self.upload(client, [("fileName", "x.jpg"), ("folder", "/a/../../etc")], file: Array("x".utf8))
            #expect(traversal.status == .badRequest)
            #expect(try Self.json(traversal.body)["help"] != nil)
            var headers = Self.auth()
            headers[.contentType] = "multipart/form-data; boundary=abc"
            let truncated = try await client.execute(
                uri: "/api/v1/files/upload", method: .post, headers: headers,
                body: ByteBuffer(string: "--abc\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\nx"))
            #expect(truncated.status == .badRequest)
            let foreign = try await client.execute(uri: "/v1/metadata?url=http%3A%2F%2Fexample.com%2Fa.jpg", method: .get, headers: Self.auth())
            #expect(foreign.status == .badRequest)
            #expect(try Self.json(foreign.body)["message"] == "The url should be accessible using your ImageKit.io account.")
            // Nothing half-written is left behind by the refused uploads.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/tmp").isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/files").isEmpty)
        }
    }

    @Test func namesCannotLeaveTheLibrary() async throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.image)))
        try await Self.withServer { client, folder in
            let response = try await Self.upload(
                client, [("fileName", "../../\u{0}evil\u{2215}name\u{202E}.jpg"), ("folder", "/ok/\u{FF0E}\u{FF0E}/x"), ("useUniqueFileName", "false")], file: bytes)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let object = try Self.json(response.body)
            #expect(object["filePath"] == "/ok/__/x/.._..__evil_name_.jpg")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["files", "library.sqlite", "tmp"])
        }
    }

    @Test func theRecoveryPassRemovesOrphans() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ikmeta-recovery-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = MirrorConfiguration(dataDirectory: folder, privateKey: Self.key)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.image)))
        let library = try MediaLibrary(configuration: configuration)
        let app = Application(router: Routes.router(library: library, privateKey: Self.key))
        let ids = try await app.test(.router) { client -> [String] in
            var ids: [String] = []
            for name in ["kept.jpg", "lost.jpg"] {
                let object = try Self.json(try await Self.upload(client, [("fileName", name)], file: bytes).body)
                if case .string(let id)? = object["fileId"] { ids.append(id) }
            }
            return ids
        }
        try await library.shutdown()
        try #require(ids.count == 2)
        let (kept, lost) = (ids[0], ids[1])
        // A crash's leftovers: a record whose bytes are gone, a half-written upload, bytes without a record.
        try FileManager.default.removeItem(atPath: folder + "/files/" + lost)
        _ = FileManager.default.createFile(atPath: folder + "/tmp/upload-partial", contents: Data([1, 2, 3]))
        _ = FileManager.default.createFile(atPath: folder + "/files/0123456789abcdef01234567", contents: Data(bytes))
        let restarted = try MediaLibrary(configuration: configuration)
        #expect(restarted.recovered.records == 1 && restarted.recovered.files == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/files") == [kept])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/tmp").isEmpty)
        try await restarted.shutdown()
    }
}

extension Array where Element: Equatable {
    func ends(with suffix: [Element]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

/// A full pool refuses at once instead of queueing without bound (429, issue "Errors").
@Suite struct MetadataPoolTests {
    @Test func aFullPoolRefusesWithBusy() async throws {
        let pool = MetadataPool(workers: 1, queueDepth: 0)
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let first = Task { try await pool.run { started.signal(); gate.wait(); return 1 } }
        started.wait()
        await #expect(throws: ImageKitError.busy) { try await pool.run { 2 } }
        gate.signal()
        #expect(try await first.value == 1)
        #expect(try await pool.run { 3 } == 3)
        try await pool.shutdown()
    }
}
