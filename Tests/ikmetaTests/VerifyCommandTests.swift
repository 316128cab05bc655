import Foundation
import Testing

/// `ikmeta verify` when the API cannot be reached (README "Local ImageKit for tests"); the answers
/// of a reachable server are checked in Tests/Server/test_sdk.py.
struct VerifyCommandTests {
    @Test func anUnreachableAPIBaseIsAClearError() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Port 1 on the loopback address has no listener: the connection is refused at once.
        let r = try CLI.shell("""
            IMAGEKIT_PRIVATE_KEY=test_key timeout 60 "$IKMETA" verify "$IMAGES/exif-camera.jpg" \\
                --file-id 0123456789abcdef01234567 --api-base http://127.0.0.1:1
            """, in: folder)
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("http://127.0.0.1:1/v1/files/0123456789abcdef01234567/metadata: "), "\(r.stderr)")
        #expect(r.stderr.lowercased().contains("connect"), "\(r.stderr)")
    }
}
