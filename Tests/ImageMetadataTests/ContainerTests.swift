import Testing
@testable import ImageMetadata

/// The JPEG segment and PNG chunk readers on hand-built files (SPEC §2).
struct ContainerTests {
    // MARK: JPEG

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count + 2
        return [0xFF, marker, UInt8(n >> 8), UInt8(n & 0xFF)] + payload
    }

    static func sof(width: Int, height: Int, components: Int = 3) -> [UInt8] {
        segment(0xC0, [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
            UInt8(components)] + Array(repeating: 0, count: 3 * components))
    }

    static func jfif(units: UInt8, x: Int, y: Int) -> [UInt8] {
        segment(0xE0, Array("JFIF".utf8) + [0, 1, 2, units, UInt8(x >> 8), UInt8(x & 0xFF), UInt8(y >> 8), UInt8(y & 0xFF), 0, 0])
    }

    static let sos = segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0x34, 0xFF, 0xD9]

    @Test func jpegSizeAndJFIFDensity() throws {
        let file = [0xFF, 0xD8] + Self.jfif(units: 1, x: 300, y: 300) + Self.sof(width: 640, height: 480) + Self.sos
        let r = try MetadataReader.read(bytes: file, options: ReadOptions(pHash: .none)).metadata
        #expect(r.width == 640 && r.height == 480 && r.format == .jpg && r.size == file.count)
        #expect(r.density == 300)
        #expect(!r.hasColorProfile && !r.hasTransparency)
    }

    @Test func jfifDensityOfOneIsIgnoredAndDotsPerCentimetreConvert() throws {
        let ones = [0xFF, 0xD8] + Self.jfif(units: 1, x: 1, y: 1) + Self.sof(width: 8, height: 8) + Self.sos
        #expect(try JPEGSegmentReader.read(MemoryByteSource(ones)).jfif?.x == 1)
        #expect(Density.dpi(pixelsPerMM: try JPEGFormat(MemoryByteSource(ones), limits: Limits()).header.pixelsPerMM) == 72)
        let dpcm = [0xFF, 0xD8] + Self.jfif(units: 2, x: 118, y: 118) + Self.sof(width: 8, height: 8) + Self.sos
        #expect(Density.dpi(pixelsPerMM: try JPEGFormat(MemoryByteSource(dpcm), limits: Limits()).header.pixelsPerMM) == 300)
    }

    @Test func iccProfileNeedsEveryChunk() throws {
        func icc(_ seq: UInt8, _ count: UInt8) -> [UInt8] {
            Self.segment(0xE2, JPEGSegmentReader.iccSignature + [seq, count, 0xAA, 0xBB])
        }
        let whole = [0xFF, 0xD8] + icc(2, 2) + icc(1, 2) + Self.sof(width: 8, height: 8) + Self.sos
        #expect(try JPEGSegmentReader.read(MemoryByteSource(whole)).iccProfile == [0xAA, 0xBB, 0xAA, 0xBB])
        let partial = [0xFF, 0xD8] + icc(1, 2) + Self.sof(width: 8, height: 8) + Self.sos
        #expect(try JPEGSegmentReader.read(MemoryByteSource(partial)).iccProfile == nil)
    }

    @Test func jpegCutInsideTheHeaderIsAnErrorNamingTheProblem() {
        let file = [0xFF, 0xD8] + Self.jfif(units: 1, x: 72, y: 72)
        #expect(throws: MetadataError.truncatedHeader(format: .jpg, detail: "no frame header (SOF) before byte \(file.count)")) {
            try MetadataReader.read(bytes: file)
        }
        let cutFrame = [0xFF, 0xD8] + Array(Self.sof(width: 8, height: 8).prefix(7))
        #expect(throws: MetadataError.self) { try MetadataReader.read(bytes: cutFrame) }
    }

    @Test func jpegEndingAfterTheFrameStillGivesItsFields() throws {
        let file = [0xFF, 0xD8] + Self.sof(width: 20, height: 10)
        let r = try MetadataReader.read(bytes: file, options: ReadOptions(pHash: .none))
        #expect(r.metadata.width == 20)
        #expect(!r.diagnostics.isEmpty)
    }

    @Test func segmentLengthBelowTwoIsRejected() {
        let file: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]
        #expect(throws: MetadataError.self) { try MetadataReader.read(bytes: file) }
    }

    // MARK: PNG

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let n = data.count
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            + Array(type.utf8) + data + [0, 0, 0, 0]  // the readers do not check CRCs
    }

    static func png(colorType: UInt8, extra: [UInt8] = []) -> [UInt8] {
        PNGChunkReader.signature
            + chunk("IHDR", [0, 0, 1, 0, 0, 0, 0, 200, 8, colorType, 0, 0, 0]) + extra
            + chunk("IDAT", [1, 2, 3]) + chunk("IEND", [])
    }

    @Test func pngSizeAlphaAndDensity() throws {
        let rgba = try MetadataReader.read(bytes: Self.png(colorType: 6), options: ReadOptions(pHash: .none)).metadata
        #expect(rgba.width == 256 && rgba.height == 200 && rgba.format == .png)
        #expect(rgba.hasTransparency && rgba.density == 72)
        let trns = Self.png(colorType: 3, extra: Self.chunk("PLTE", [0, 0, 0]) + Self.chunk("tRNS", [0]))
        #expect(try MetadataReader.read(bytes: trns, options: ReadOptions(pHash: .none)).metadata.hasTransparency)
        let rgb = try MetadataReader.read(bytes: Self.png(colorType: 2), options: ReadOptions(pHash: .none)).metadata
        #expect(!rgb.hasTransparency)
        // 11811 px/m = 300 dpi; unit 0 takes the value as px/mm (SPEC §2: 72 → 1829).
        let metre = Self.png(colorType: 2, extra: Self.chunk("pHYs", [0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1]))
        #expect(try MetadataReader.read(bytes: metre, options: ReadOptions(pHash: .none)).metadata.density == 300)
        let unknown = Self.png(colorType: 2, extra: Self.chunk("pHYs", [0, 0, 0, 72, 0, 0, 0, 72, 0]))
        #expect(try MetadataReader.read(bytes: unknown, options: ReadOptions(pHash: .none)).metadata.density == 1829)
    }

    @Test func iccpCountsOnlyWhenItCanBeRead() {
        let good: [UInt8] = Array("sRGB".utf8) + [0, 0, 0x78, 0x9C, 1, 2]
        #expect(PNGChunkReader.isUsableICCP(good))
        #expect(!PNGChunkReader.isUsableICCP(Array("sRGB".utf8) + [0, 1, 0x78, 0x9C]))  // method 1
        #expect(!PNGChunkReader.isUsableICCP(Array("sRGB".utf8) + [0, 0, 0x12, 0x34]))  // not zlib
        #expect(!PNGChunkReader.isUsableICCP([0, 0, 0x78, 0x9C]))  // empty keyword
    }

    @Test func pngWithoutIHDRFirstIsRejected() {
        let file = PNGChunkReader.signature + Self.chunk("IDAT", [1])
        #expect(throws: MetadataError.invalidHeader(format: .png, detail: "the first chunk is IDAT, not IHDR")) {
            try MetadataReader.read(bytes: file)
        }
    }

    @Test func hugeChunkLengthEndsTheWalkWithADiagnostic() throws {
        let file = PNGChunkReader.signature + Self.chunk("IHDR", [0, 0, 0, 9, 0, 0, 0, 9, 8, 2, 0, 0, 0])
            + [0xFF, 0xFF, 0xFF, 0xF0] + Array("tEXt".utf8)
        let r = try MetadataReader.read(bytes: file, options: ReadOptions(pHash: .none))
        #expect(r.metadata.width == 9)
        #expect(!r.diagnostics.isEmpty)
    }

    // MARK: Format detection

    @Test func formatComesFromContentOnly() {
        #expect(ImageFormat.detect([0xFF, 0xD8, 0xFF, 0xE0]) == .jpg)
        #expect(ImageFormat.detect(PNGChunkReader.signature) == .png)
        #expect(ImageFormat.detect(Array("GIF89a".utf8)) == .gif)
        #expect(ImageFormat.detect(Array("RIFF\0\0\0\0WEBP".utf8)) == .webp)
        #expect(ImageFormat.detect(Array("hello".utf8)) == nil)
        #expect(throws: MetadataError.notAnImage) { try MetadataReader.read(bytes: Array("hello".utf8)) }
        #expect(throws: MetadataError.empty) { try MetadataReader.read(bytes: []) }
        #expect(throws: MetadataError.unsupportedFormat(.svg)) { try MetadataReader.read(bytes: Array("<svg></svg>".utf8)) }
    }
}
