import Foundation
import Testing
@testable import ImageMetadata

/// WebP and TIFF loading as libvips 8.10 does it (libvips-pipeline.md §15.5, §15.6), on the images
/// TestImages/generate.py makes. Their whole objects are checked by GoldenFileTests; these tests pin
/// the loader rules one by one.
@Suite struct WebPTIFFTests {
    static let folder = GoldenFileTests.folder

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// First `count` rows of a decoder.
    static func rows(_ decoder: RowDecoder, _ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: decoder.format.rowBytes * count)
        let got = try out.withUnsafeMutableBytes { try decoder.readRows(into: $0, count: count) }
        #expect(got == count)
        return out
    }

    /// `generate.py` scene(): pixel (63, 0) is (255, 0, 252), (0, 47) is (0, 255, 188).
    @Test func opaqueWebPPixelsLoseOneLevel() throws {
        let file = try WebPFormat(MemoryByteSource(Self.bytes("lossless.webp")), limits: Limits())
        let decoder = try WebPRowDecoder(file, shrink: 1)
        #expect(decoder.format.bands == 3)
        let top = try Self.rows(decoder, 48)
        #expect(Array(top[(63 * 3)..<(64 * 3)]) == [254, 0, 251])  // blend_pixel(A, 0) of (255, 0, 252, 255)
        let bottom = 47 * decoder.format.rowBytes
        #expect(Array(top[bottom..<(bottom + 3)]) == [0, 254, 187])
    }

    @Test func webpShrinkOnLoadUsesRintSizes() throws {
        let file = try WebPFormat(MemoryByteSource(Self.bytes("shrink-on-load.webp")), limits: Limits())
        #expect(sharpShrinkOnLoad(width: file.canvasWidth, height: file.canvasHeight) == 4)  // 256/32 = 8, exact → 4
        let decoder = try WebPRowDecoder(file, shrink: 4)
        #expect(decoder.format.width == 64 && decoder.format.height == 64)
        let odd = try WebPFormat(MemoryByteSource(Self.bytes("lossy.webp")), limits: Limits())
        let scaled = try WebPRowDecoder(odd, shrink: 8)  // 64×48 / 8 = 8×6
        #expect(scaled.format.width == 8 && scaled.format.height == 6)
    }

    @Test func webpOrientationNeedsTheExifHeader() throws {
        #expect(try WebPFormat(MemoryByteSource(Self.bytes("exif-orientation-6.webp")), limits: Limits()).orientation == 6)
        #expect(try WebPFormat(MemoryByteSource(Self.bytes("exif-raw-tiff-orientation-6.webp")), limits: Limits()).orientation == 1)
    }

    @Test func webpSpilledFrameGivesTheSameHash() throws {
        var options = ReadOptions()
        options.limits.inMemoryImageBytes = 0
        for name in ["lossy.webp", "alpha.webp", "animated.webp"] {
            let memory = try MetadataReader.read(bytes: Self.bytes(name)).metadata.pHash
            let spilled = try MetadataReader.read(path: Self.folder.appendingPathComponent(name).path, options: options).metadata.pHash
            #expect(memory != nil && memory == spilled, "\(name)")
        }
    }

    /// A file over `inMemoryImageBytes` is copied to a temporary file before the demuxer reads it.
    /// Its holes are skipped: a small WebP followed by a hole up to the largest size the default limits
    /// accept (4 GiB) is read well within a 2 s limit (copied byte by byte it would not be), and the
    /// bytes past the RIFF chunk are ignored as before.
    @Test func webpCopySkipsHoles() throws {
        let name = "lossy.webp"
        let sparse = FileManager.default.temporaryDirectory.appendingPathComponent("ikmeta-sparse-\(getpid()).webp")
        defer { try? FileManager.default.removeItem(at: sparse) }
        try Data(Self.bytes(name)).write(to: sparse)
        let size = ReadOptions().limits.fileSize
        #expect(truncate(sparse.path, off_t(size)) == 0)
        var options = ReadOptions()
        options.limits.inMemoryImageBytes = 0
        options.limits.seconds = 2
        let copied = try MetadataReader.read(path: sparse.path, options: options).metadata
        let memory = try MetadataReader.read(bytes: Self.bytes(name)).metadata
        #expect(copied.pHash != nil && copied.pHash == memory.pHash)
        #expect(copied.size == size && copied.width == memory.width)
    }

    /// The ICC and EXIF chunks are held in memory, so `metadataBytes` bounds them as it bounds
    /// JPEG's segments.
    @Test func webpMetadataChunksAreBounded() throws {
        let lossy = try Self.bytes("lossy.webp")
        let frame = Array(lossy[12...])
        let profile = [UInt8](repeating: 0, count: 2000)
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let vp8x: [UInt8] = Array("VP8X".utf8) + le32(10) + [0x20, 0, 0, 0] + [63, 0, 0, 47, 0, 0]
        let body = Array("WEBP".utf8) + vp8x + Array("ICCP".utf8) + le32(profile.count) + profile + frame
        let file = Array("RIFF".utf8) + le32(body.count) + body
        var options = ReadOptions()
        options.pHash = .none
        #expect(try MetadataReader.read(bytes: file, options: options).metadata.hasColorProfile)
        options.limits.metadataBytes = 1000
        #expect(throws: MetadataError.overLimit(what: "WebP metadata kept in bytes", value: 2000, limit: 1000)) {
            try MetadataReader.read(bytes: file, options: options)
        }
    }

    /// The copy checks the file's deadline: a limit that has passed when it starts stops it.
    @Test func webpCopyStopsAtTheTimeLimit() throws {
        var options = ReadOptions()
        options.limits.inMemoryImageBytes = 0
        options.limits.seconds = 0
        let path = Self.folder.appendingPathComponent("lossy.webp").path
        #expect(throws: MetadataError.timeLimit(seconds: 0)) { try MetadataReader.read(path: path, options: options) }
        options.limits.inMemoryImageBytes = 1 << 20  // read into memory: no copy to stop
        options.pHash = .none
        #expect(try MetadataReader.read(path: path, options: options).metadata.width > 0)
    }

    @Test func tiledTIFFThroughTheTemporaryFile() throws {
        let path = Self.folder.appendingPathComponent("tiled.tif").path
        var options = ReadOptions()
        options.limits.inMemoryImageBytes = 0
        let spilled = try MetadataReader.read(path: path, options: options).metadata
        let memory = try MetadataReader.read(path: path).metadata
        #expect(spilled.pHash != nil && spilled.pHash == memory.pHash)
        #expect(memory.width == 70 && memory.height == 50)
    }

    @Test func tiffBitExpansion() {
        var out = [UInt8](repeating: 0, count: 8)
        let one: [UInt8] = [0b1010_0001]
        TIFFRowDecoder.expandBits(one, 1, 8, invert: false, into: &out)
        #expect(out == [255, 0, 255, 0, 0, 0, 0, 255])
        TIFFRowDecoder.expandBits(one, 1, 8, invert: true, into: &out)  // MINISWHITE
        #expect(out == [0, 255, 0, 255, 255, 255, 255, 0])
        TIFFRowDecoder.expandBits([0b0001_1011], 2, 4, invert: false, into: &out)
        #expect(Array(out[0..<4]) == [0, 0x55, 0xAA, 0xFF])
        TIFFRowDecoder.expandBits([0x3C], 4, 2, invert: false, into: &out)
        #expect(Array(out[0..<2]) == [0x33, 0xCC])
    }

    /// §15.1: sharp 0.26's libtiff has no LZMA: the fields are read, the pHash is not.
    @Test func tiffCompressionsSharpLacksGiveNoHash() throws {
        var data = try Self.bytes("rgb16-orientation-6.tif")
        // The fourth IFD entry (tag 259) holds the compression as a SHORT at byte 54.
        #expect(data[46] == 0x03 && data[47] == 0x01)
        for (code, name) in [(34925, "LZMA"), (50000, "ZSTD"), (32909, "PixarLog")] {
            data[54] = UInt8(code & 0xFF)
            data[55] = UInt8(code >> 8)
            let result = try MetadataReader.read(bytes: data)
            #expect(result.metadata.pHash == nil)
            #expect(result.metadata.width == 48)
            #expect(result.diagnostics.contains { $0.message.contains(name) }, "\(result.diagnostics)")
        }
    }

    @Test func tiffPageZeroOnly() throws {
        let result = try MetadataReader.read(bytes: Self.bytes("multipage.tif"))
        #expect(result.metadata.width == 64 && result.metadata.height == 48)  // page 1 is 40×30 grey
        let page0 = try MetadataReader.read(bytes: Self.bytes("rgb-lzw.tif")).metadata.pHash  // the same picture
        #expect(result.metadata.pHash != nil && result.metadata.pHash == page0)
    }

    /// Cut files: an error, or the full file's size with the full file's pHash or none; never a crash.
    @Test(arguments: ["lossy.webp", "alpha.webp", "animated.webp", "rgb-lzw.tif", "jpeg.tif", "tiled.tif", "palette.tif"])
    func truncatedFiles(name: String) throws {
        let data = try Self.bytes(name)
        let full = try MetadataReader.read(bytes: data).metadata
        for cut in stride(from: 1, to: data.count, by: max(1, data.count / 23)) {
            guard let result = try? MetadataReader.read(bytes: Array(data[0..<cut])) else { continue }
            #expect(result.metadata.width == full.width && result.metadata.height == full.height)
            #expect(result.metadata.pHash == nil || result.metadata.pHash == full.pHash, "\(name) cut at \(cut)")
        }
    }
}
