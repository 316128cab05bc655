import Testing
@testable import ImageMetadata

/// The three images ImageKit published with their pHash (SPEC §4 acceptance vectors), read from
/// `<repo>/../shared/imagekit-vectors`, plus decoder behaviour checked on the same files.
@Suite struct PipelineVectorTests {
    static let vectors = sharedDirectory() + "/imagekit-vectors/"

    static func available(_ name: String) -> Bool {
        (try? FileByteSource(path: vectors + name)) != nil
    }

    @Test(arguments: [
        ("first.jpg", "63433b3ccf8e1ebe"),
        ("second.jpg", "f5d2226cd9d32b16"),
        ("first-slightly-different.jpg", "61433b3fcf8f9faf"),
    ])
    func imageKitVector(name: String, pHash: String) throws {
        guard Self.available(name) else {
            print("skipped: \(Self.vectors + name) is not there (the shared reference folder is absent)")
            return
        }
        let result = try MetadataReader.read(path: Self.vectors + name)
        #expect(result.metadata.pHash?.description == pHash)
    }

    @Test func noPixelsWithoutPHash() throws {
        guard Self.available("first-slightly-different.jpg") else { return }
        let result = try MetadataReader.read(path: Self.vectors + "first-slightly-different.jpg", options: ReadOptions(pHash: .none))
        #expect(result.metadata.pHash == nil)
        #expect(!JSONWriter.compact(.object(result.metadata.json)).contains("pHash"))
    }

    // libvips 8.10 crops DCT-scaled output to ⌊W/k⌋ × ⌊H/k⌋ (jpeg2vips.c): 300 × 400 at 1/8 is 37 × 50.
    @Test func scaledDecodeIsCropped() throws {
        guard Self.available("first-slightly-different.jpg") else { return }
        let source = try FileByteSource(path: Self.vectors + "first-slightly-different.jpg")
        let decoder = try JPEGRowDecoder(DecoderInput(source), scale: 8)
        #expect(decoder.format.width == 37 && decoder.format.height == 50)
        var rows = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: decoder.format.rowBytes * 16, alignment: 16)
        defer { buffer.deallocate() }
        while rows < decoder.format.height {
            let got = try decoder.readRows(into: buffer, count: 16)
            if got == 0 { break }
            rows += got
        }
        #expect(rows == 50)
    }

    // A truncated baseline JPEG: libjpeg warns "premature end" and libvips (fail = TRUE) refuses the
    // next 8-row strip, so there is no pHash, while the header fields are still read (SPEC §5).
    @Test func truncatedJPEGHasNoPHash() throws {
        guard Self.available("first-slightly-different.jpg") else { return }
        let whole = try FileByteSource(path: Self.vectors + "first-slightly-different.jpg")
        let cut = whole.bytes(at: 0, length: whole.count / 2)
        let result = try MetadataReader.read(bytes: cut)
        #expect(result.metadata.width == 300 && result.metadata.pHash == nil)
        #expect(result.diagnostics.contains { $0.place == .decoder && $0.message.contains("Premature end") })
    }

    // Memory input (not a file descriptor) decodes to the same hash.
    @Test func memoryInputMatchesFileInput() throws {
        guard Self.available("first-slightly-different.jpg") else { return }
        let file = try FileByteSource(path: Self.vectors + "first-slightly-different.jpg")
        let result = try MetadataReader.read(bytes: file.bytes(at: 0, length: file.count))
        #expect(result.metadata.pHash?.description == "61433b3fcf8f9faf")
    }
}
