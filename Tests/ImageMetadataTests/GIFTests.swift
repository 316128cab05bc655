import Foundation
import Testing
@testable import ImageMetadata

/// GIF through giflib as libvips 8.10 reads it (libvips-pipeline.md §15.4), on small hand-made files.
struct GIFTests {
    /// A GIF with a `width`×`height` screen, an optional global colour map, and the given records.
    static func gif(width: Int = 4, height: Int = 2, map: [[UInt8]]? = nil, _ records: [UInt8]...) -> [UInt8] {
        var out = Array("GIF89a".utf8) + le(width) + le(height)
        if let map {  // 2, 4, 8 … entries: the size field is log2(count) − 1
            out += [0x80 | UInt8(map.count.trailingZeroBitCount - 1), 0, 0] + map.flatMap { $0 }
        } else {
            out += [0, 0, 0]
        }
        return out + records.flatMap { $0 } + [0x3B]
    }

    static func le(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    /// An image record (no local map) with LZW code size 2 and the given data sub-blocks.
    static func frame(left: Int = 0, top: Int = 0, width: Int = 4, height: Int = 2, interlaced: Bool = false,
                      data: [UInt8]) -> [UInt8] {
        [0x2C] + le(left) + le(top) + le(width) + le(height) + [interlaced ? 0x40 : 0, 2]
            + (data.isEmpty ? [] : [UInt8(data.count)] + data) + [0]
    }

    /// A Graphic Control Extension with the transparent index `index` (flag set) or none.
    static func control(transparent index: UInt8?) -> [UInt8] {
        [0x21, 0xF9, 4, index == nil ? 0 : 1, 0, 0, index ?? 0, 0]
    }

    /// LZW codes of 3 bits (code size 2: clear 4, end 5), packed least significant bit first; only
    /// for a few codes, before the decoder widens them.
    static func lzw(_ codes: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        var acc = 0, bits = 0
        for c in codes {
            acc |= c << bits
            bits += 3
            while bits >= 8 { out.append(UInt8(acc & 0xFF)); acc >>= 8; bits -= 8 }
        }
        if bits > 0 { out.append(UInt8(acc & 0xFF)) }
        return out
    }

    static let greyMap: [[UInt8]] = [[0, 0, 0], [80, 80, 80], [160, 160, 160], [255, 255, 255]]
    static let colourMap: [[UInt8]] = [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]]
    static func read(_ bytes: [UInt8], limits: Limits = Limits()) throws -> MetadataResult {
        try MetadataReader.read(bytes: bytes, options: ReadOptions(limits: limits))
    }

    /// Bands come from every frame: a grey first frame followed by a colour frame with a transparent
    /// index loads as 4 bands, so the object reports transparency.
    @Test func transparencyOfALaterFrameCounts() throws {
        let grey = Self.gif(map: Self.greyMap, Self.frame(data: Self.rows))
        #expect(try Self.read(grey).metadata.hasTransparency == false)
        let later = Self.gif(map: Self.greyMap, Self.frame(data: Self.rows), Self.control(transparent: 3), Self.frame(data: Self.rows))
        let result = try Self.read(later)
        #expect(result.metadata.hasTransparency == true)
        #expect(result.metadata.format == .gif && result.metadata.density == 72 && result.metadata.pHash != nil)
        let reader = try GIFFormat(MemoryByteSource(later), limits: Limits())
        #expect(reader.scan.bands == 2 && reader.scan.frames == 2)
        let colour = Self.gif(map: Self.greyMap, Self.frame(data: Self.rows), [0x2C] + Self.le(0) + Self.le(0) + Self.le(4) + Self.le(2)
            + [0x81] + Self.colourMap.flatMap { $0 } + [2, UInt8(Self.rows.count)] + Self.rows + [0])
        #expect(try GIFFormat(MemoryByteSource(colour), limits: Limits()).scan.bands == 3)
    }

    /// Frame 1 on a zeroed canvas: the transparent index is not painted and the area outside the
    /// frame stays 0, so a frame covering part of the screen gives different pixels than a full one.
    @Test func frameOnZeroedCanvas() throws {
        let full = Self.gif(map: Self.greyMap, Self.frame(data: Self.rows))
        let partial = Self.gif(width: 8, height: 4, map: Self.greyMap, Self.frame(left: 2, top: 1, data: Self.rows))
        let a = try PHashReader.pixels(GIFFormat(MemoryByteSource(full), limits: Limits()))
        let b = try PHashReader.pixels(GIFFormat(MemoryByteSource(partial), limits: Limits()))
        #expect(a.width == 32 && b.width == 32 && a != b)
        #expect(b[0, 0] == 0)  // the canvas corner is outside the frame
        let transparentWhite = Self.gif(map: Self.greyMap, Self.control(transparent: 3), Self.frame(data: Self.rows))
        let t = try PHashReader.pixels(GIFFormat(MemoryByteSource(transparentWhite), limits: Limits()))
        #expect(t != a)
    }

    /// giflib's LZW errors fail the load (no pHash) while the header fields stay.
    @Test func lzwErrorsLeaveThePHashOut() throws {
        // The end code before the frame is complete.
        let early = Self.gif(map: Self.greyMap, Self.frame(data: Self.lzw([4, 1, 5])))
        let result = try Self.read(early)
        #expect(result.metadata.width == 4 && result.metadata.pHash == nil)
        #expect(result.diagnostics.contains { $0.message.contains("Image EOF detected before image complete") })
        // A code past the table: giflib reports the image as defective.
        let bad = Self.gif(map: Self.greyMap, Self.frame(data: Self.lzw([4, 7, 7, 7, 7, 7, 7, 7, 7])))
        #expect(try Self.read(bad).metadata.pHash == nil)
        // The data ends inside the frame.
        let cut = Array(Self.gif(map: Self.greyMap, Self.frame(data: Self.rows)).dropLast(4))
        #expect(try Self.read(cut).metadata.pHash == nil)
    }

    /// Header errors of libvips' scan make the file unreadable; limits give their own error.
    @Test func headerErrorsAndLimits() throws {
        #expect(throws: MetadataError.invalidHeader(format: .gif, detail: "image size out of bounds")) {
            try Self.read(Self.gif(width: 0, map: Self.greyMap, Self.frame(data: Self.rows)))
        }
        #expect(throws: MetadataError.invalidHeader(format: .gif, detail: "bad page number")) {
            try Self.read(Self.gif(map: Self.greyMap))
        }
        #expect(throws: MetadataError.invalidHeader(format: .gif, detail: "bad image size")) {
            try Self.read(Self.gif(map: Self.greyMap, Self.frame(width: 0, data: Self.rows)))
        }
        var limits = Limits()
        limits.frames = 2
        let three = Self.gif(map: Self.greyMap, Self.frame(data: Self.rows), Self.frame(data: Self.rows), Self.frame(data: Self.rows))
        #expect(throws: MetadataError.overLimit(what: "number of frames", value: 3, limit: 2)) { try Self.read(three, limits: limits) }
        limits.frames = 3
        #expect(try Self.read(three, limits: limits).metadata.pHash != nil)
    }

    /// Interlaced rows arrive 0, 4 / 8, then 2 / 4, then 1 / 2: the same rows stored interlaced give
    /// the same pixels.
    @Test func interlacedFrameMatchesItsProgressiveTwin() throws {
        let plain = Self.gif(width: 4, height: 8, map: Self.colourMap, Self.frame(height: 8, data: Self.eightRows(order: Array(0..<8))))
        let interlacedOrder = [0, 4, 2, 6, 1, 3, 5, 7]
        let interlaced = Self.gif(width: 4, height: 8, map: Self.colourMap,
                                  Self.frame(height: 8, interlaced: true, data: Self.eightRows(order: interlacedOrder)))
        let a = try PHashReader.pixels(GIFFormat(MemoryByteSource(plain), limits: Limits()))
        let b = try PHashReader.pixels(GIFFormat(MemoryByteSource(interlaced), limits: Limits()))
        #expect(a == b)
    }

    /// Two rows of 4 pixels.
    static let rows: [UInt8] = literals([1, 2, 3, 0, 3, 2, 1, 0])

    /// Rows 0–7 of a 4-wide frame (row r: pixels r % 4, …), emitted in `order`.
    static func eightRows(order: [Int]) -> [UInt8] {
        literals(order.flatMap { r in (0..<4).map { (r + $0) % 4 } })
    }

    /// Each pixel as a literal code, after a clear code, the end code last. The code width follows
    /// giflib's reader: every code read after the clear counts one table entry, and the width grows
    /// by a bit once the count passes the current maximum (dgif_lib.c `DGifDecompressInput`).
    static func literals(_ pixels: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        var acc = 0, bits = 0, width = 3, running = 6, maxCode = 8
        func put(_ code: Int) {
            acc |= code << bits
            bits += width
            while bits >= 8 { out.append(UInt8(acc & 0xFF)); acc >>= 8; bits -= 8 }
        }
        put(4)
        for p in pixels {
            put(p)
            running += 1
            if running > maxCode && width < 12 { width += 1; maxCode <<= 1 }
        }
        put(5)
        if bits > 0 { out.append(UInt8(acc & 0xFF)) }
        return out
    }
}
