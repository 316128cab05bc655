import Foundation
import Synchronization
import Testing
@testable import ImageMetadata

/// The async read gives the synchronous read's answer, and its gate bounds how many run at once.
struct AsyncReadTests {
    static let images = ["exif-camera.jpg", "rgb.png", "grey.jpg", "jfif-300dpi.jpg"].map {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TestImages/\($0)").path
    }

    @Test func manyConcurrentReadsGiveTheSynchronousAnswers() async throws {
        var expected: [Metadata] = []
        for path in Self.images { expected.append(try Self.readSynchronously(path).metadata) }
        try await withThrowingTaskGroup(of: (Int, Metadata).self) { group in
            for round in 0..<24 {
                let index = round % Self.images.count
                group.addTask { (index, try await MetadataReader.read(path: Self.images[index]).metadata) }
            }
            for try await (index, metadata) in group { #expect(metadata == expected[index]) }
        }
    }

    static func readSynchronously(_ path: String) throws(MetadataError) -> MetadataResult {
        try MetadataReader.read(path: path)
    }

    @Test func errorsArriveTyped() async {
        do {
            _ = try await MetadataReader.read(path: "/nonexistent/photo.jpg")
            Issue.record("no error")
        } catch {
            #expect(error == .cannotOpen(path: "/nonexistent/photo.jpg", errno: ENOENT))
        }
    }

    @Test func theGateRunsAtMostItsWidthAtOnce() async {
        let slots = ReadSlots(width: 2)
        let counts = Counts()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await slots.run {
                        let now = counts.running.withLock { $0 += 1; return $0 }
                        counts.peak.withLock { $0 = max($0, now) }
                        usleep(2_000)
                        counts.running.withLock { $0 -= 1 }
                    }
                }
            }
        }
        #expect(counts.peak.withLock { $0 } <= 2)
        #expect(counts.peak.withLock { $0 } >= 1)
    }

    /// Jobs running now, and the most that ever ran at once.
    final class Counts: Sendable {
        let running = Mutex(0)
        let peak = Mutex(0)
    }
}
