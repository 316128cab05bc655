import Testing
@testable import ImageMetadata

/// PNG decoding through CImageShims/libpng and libspng 0.6.0's load rules (libvips-pipeline.md §15),
/// on PNGs built here byte by byte (stored deflate blocks, so no encoder is needed).
@Suite struct PipelinePNGTests {
    static func chunk(_ type: String, _ data: [UInt8], badCRC: Bool = false) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var crc = CRC32()
        crc.update(typeBytes + data)
        let value = crc.value ^ (badCRC ? 1 : 0)
        return be32(data.count) + typeBytes + data + be32(Int(value))
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

    /// A zlib stream of one stored block, with its Adler-32.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var a = 1, b = 0
        for x in data { a = (a + Int(x)) % 65521; b = (b + a) % 65521 }
        let n = data.count
        return [0x78, 0x01, 0x01, UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)] + data + be32(b << 16 | a)
    }

    /// An 8-bit PNG of colour type `colorType` from raw rows (filter byte 0 is added).
    static func png(width: Int, height: Int, colorType: UInt8, rows: [[UInt8]], extra: [[UInt8]] = [],
                    badIHDRCRC: Bool = false, badIDATCRC: Bool = false) -> [UInt8] {
        let ihdr = be32(width) + be32(height) + [8, colorType, 0, 0, 0]
        let raw: [UInt8] = rows.flatMap { row -> [UInt8] in [0] + row }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr, badCRC: badIHDRCRC)
            + extra.flatMap { $0 } + chunk("IDAT", zlibStored(raw), badCRC: badIDATCRC) + chunk("IEND", [])
    }

    /// 40 × 3 grey rows of the synthetic pattern (seed 12).
    static let greyRows: [[UInt8]] = {
        let s = syntheticSamples(width: 40, height: 3, bands: 1, seed: 12)
        return (0..<3).map { y in s[(y * 40)..<(y * 40 + 40)].map { UInt8($0) } }
    }()

    // The decoded PNG gives the same 32×32 as the same rows fed to the pipeline directly.
    @Test func decodesLikeTheRowsItHolds() throws {
        let bytes = Self.png(width: 40, height: 3, colorType: 0, rows: Self.greyRows)
        let direct = try PixelPipeline.pixels(PixelPipeline.Input(
            decoder: ArrayRowDecoder(width: 40, height: 3, bands: 1, interpretation: .bw,
                                     samples: Self.greyRows.flatMap { $0.map(Int.init) }),
            profile: nil, orientation: 1, demand: .thinStrip))
        let viaPNG = try PHashReader.pixels(PNGFormat(MemoryByteSource(bytes), limits: Limits()))
        #expect(viaPNG == direct)
        #expect(try MetadataReader.read(bytes: bytes).metadata.pHash != nil)
    }

    // libspng checks the CRC of every chunk before IDAT, never the last IDAT's.
    @Test func crcRules() throws {
        let badHeader = Self.png(width: 40, height: 3, colorType: 0, rows: Self.greyRows, badIHDRCRC: true)
        #expect(throws: PixelError.self) { try PNGLoadChecks.check(MemoryByteSource(badHeader)) }
        let badLastIDAT = Self.png(width: 40, height: 3, colorType: 0, rows: Self.greyRows, badIDATCRC: true)
        #expect(try MetadataReader.read(bytes: badLastIDAT).metadata.pHash != nil)
    }

    // Chunk rules libpng lets through but libspng 0.6.0 refuses: a duplicate gAMA, gAMA = 0.
    @Test func ancillaryChunkRules() throws {
        let gama = Self.chunk("gAMA", Self.be32(45455))
        let twice = Self.png(width: 40, height: 3, colorType: 0, rows: Self.greyRows, extra: [gama, gama])
        let result = try MetadataReader.read(bytes: twice)
        #expect(result.metadata.pHash == nil && result.metadata.width == 40)
        #expect(result.diagnostics.contains { $0.message.contains("duplicate gAMA") })
        let zero = Self.png(width: 40, height: 3, colorType: 0, rows: Self.greyRows, extra: [Self.chunk("gAMA", Self.be32(0))])
        #expect(try MetadataReader.read(bytes: zero).metadata.pHash == nil)
        let once = Self.png(width: 40, height: 3, colorType: 0, rows: Self.greyRows, extra: [gama])
        #expect(try MetadataReader.read(bytes: once).metadata.pHash != nil)
    }

    // A compressed iCCP stream must inflate to its end (the Adler-32 itself is not checked).
    @Test func iccpStreamMustInflate() throws {
        func passes(_ stream: [UInt8]) throws -> Bool {
            var budget = PNGInflateBudget(PHashReader.Deadline(Limits()))
            return try budget.passes(MemoryByteSource(stream), from: 0, to: stream.count)
        }
        let good = Self.zlibStored([1, 2, 3])
        #expect(try passes(good))
        var badAdler = good
        badAdler[badAdler.count - 1] ^= 0xFF
        #expect(try passes(badAdler))
        let cut = Array(good.dropLast(4))
        #expect(try !passes(cut))
    }

    // tRNS on grey becomes an alpha band (libspng GA8): the premultiplied path runs, so the
    // transparent black pixel no longer darkens its neighbourhood as it does without tRNS.
    @Test func greyTRNSBecomesAlpha() throws {
        let rows: [[UInt8]] = [[0, 200, 200, 200]] + Array(repeating: [200, 200, 200, 200], count: 3)
        let bytes = Self.png(width: 4, height: 4, colorType: 0, rows: rows, extra: [Self.chunk("tRNS", [0, 0])])
        let withAlpha = try PHashReader.pixels(PNGFormat(MemoryByteSource(bytes), limits: Limits()))
        let plain = try PHashReader.pixels(PNGFormat(MemoryByteSource(Self.png(width: 4, height: 4, colorType: 0, rows: rows)), limits: Limits()))
        #expect(withAlpha.width == 32 && withAlpha != plain)
        #expect(withAlpha[0, 0] > plain[0, 0] && withAlpha[31, 31] == plain[31, 31])
    }
}
