import Foundation
import Testing

@testable import ImageMetadata

/// HEIC/AVIF through libheif, BMP and ICO headers as ImageMagick 6.9 reads them for libvips'
/// magickload: hostile headers get errors, and the EXIF item of a HEIF file is found.
struct HEIFBMPICOTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestImages")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// A BITMAPINFOHEADER BMP with `pixels` bytes of data after it.
    static func bmp(width: Int = 4, height: Int = 2, planes: Int = 1, bits: Int = 24, compression: Int = 0,
                    fileSize: Int? = nil, pixels: Int? = nil, fill: UInt8 = 0) -> [UInt8] {
        let stride = 4 * ((width * bits + 31) / 32)
        let data = [UInt8](repeating: fill, count: pixels ?? stride * abs(height))
        var info = le32(40) + le32(width) + le32(height) + le16(planes) + le16(bits) + le32(compression)
        info += le32(data.count) + le32(2835) + le32(2835) + le32(0) + le32(0)
        let total = 54 + data.count
        return Array("BM".utf8) + le32(fileSize ?? total) + le32(0) + le32(54) + info + data
    }

    static func bmpError(_ bytes: [UInt8]) -> MetadataError? {
        do {
            _ = try MetadataReader.read(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func bmpFieldsComeFromTheHeader() throws {
        let meta = try MetadataReader.read(bytes: Self.bmp(width: 5, height: -3)).metadata
        #expect(meta.width == 5 && meta.height == 3 && meta.format == .bmp)
        #expect(meta.density == 72 && !meta.hasTransparency && meta.exif == JSONObject() && meta.pHash == nil)
    }

    @Test func bmpHeadersImageMagickRefuses() {
        #expect(Self.bmpError(Self.bmp(width: 0)) == .invalidHeader(format: .bmp, detail: "negative or zero image size"))
        #expect(Self.bmpError(Self.bmp(height: 0)) == .invalidHeader(format: .bmp, detail: "negative or zero image size"))
        #expect(Self.bmpError(Self.bmp(planes: 2)) == .invalidHeader(format: .bmp, detail: "the plane count is not 1"))
        #expect(Self.bmpError(Self.bmp(bits: 7)) == .invalidHeader(format: .bmp, detail: "unsupported bits per pixel (7)"))
        #expect(Self.bmpError(Self.bmp(bits: 24, compression: 1)) != nil)  // RLE8 needs 8 bits
        #expect(Self.bmpError(Self.bmp(compression: 9)) == .invalidHeader(format: .bmp, detail: "unrecognised compression (9)"))
        #expect(Self.bmpError(Self.bmp(fileSize: 1000)) == .invalidHeader(format: .bmp, detail: "the header's file size exceeds the file's"))
        #expect(Self.bmpError(Self.bmp(pixels: 3)) == .invalidHeader(format: .bmp, detail: "insufficient image data in file"))
        #expect(Self.bmpError(Array(Self.bmp(fileSize: 0).prefix(30))) == .truncatedHeader(format: .bmp, detail: "the header ends early"))
    }

    @Test func hugeBMPDimensionsAreRefusedWithoutReadingAnything() {
        #expect(Self.bmpError(Self.bmp(width: Int(Int32.max), height: Int(Int32.max), pixels: 0)) != nil)
        #expect(Self.bmpError(Self.bmp(width: 1 << 20, height: -(1 << 20), bits: 32, pixels: 0)) != nil)
    }

    @Test func thirtyTwoBitBMPHasAlphaOnlyWhenAFourthByteIsSet() throws {
        let zero = try MetadataReader.read(bytes: Self.bmp(bits: 32)).metadata
        #expect(!zero.hasTransparency)
        var set = Self.bmp(bits: 32)
        set[set.count - 1] = 1
        #expect(try MetadataReader.read(bytes: set).metadata.hasTransparency)
    }

    @Test func icoUsesTheFirstEntryAnd256ForAZeroSide() throws {
        var ico = try Self.bytes("ico-bmp.ico")
        ico[6] = 0  // directory width 0 is 256, whatever the bitmap says
        #expect(try MetadataReader.read(bytes: ico).metadata.width == 256)
        ico[6] = 200  // otherwise the smaller of the directory's and the bitmap's widths
        #expect(try MetadataReader.read(bytes: ico).metadata.width == 32)
        let two = try MetadataReader.read(bytes: try Self.bytes("ico-two-sizes.ico")).metadata
        #expect(two.width == 16 && two.hasTransparency && two.pHash == nil)
    }

    @Test func icoDirectoriesImageMagickRefuses() throws {
        let ico = try Self.bytes("ico-bmp.ico")
        var noIcons = ico
        noIcons[4] = 0
        #expect(Self.bmpError(noIcons) == .invalidHeader(format: .ico, detail: "the directory lists no icon"))
        var tooMany = ico
        tooMany[4] = 0x01
        tooMany[5] = 0x08  // 2049 entries
        #expect(Self.bmpError(tooMany) == .invalidHeader(format: .ico, detail: "improper image header"))
        var pastTheEnd = ico
        pastTheEnd[18] = 0xFF
        pastTheEnd[19] = 0xFF
        pastTheEnd[20] = 0xFF  // the entry's offset
        #expect(Self.bmpError(pastTheEnd) == .truncatedHeader(format: .ico, detail: "an icon lies past the end of the file"))
        #expect(Self.bmpError(Array(ico.prefix(30))) != nil)
    }

    @Test func heifExifPayloadIsTheTIFFData() throws {
        let source = MemoryByteSource(try Self.bytes("heic-exif.heic"))
        let tiff = try #require(try HEIFExif.tiffPayload(source))
        #expect(tiff.hasPrefix(Array("II*\0".utf8)) || tiff.hasPrefix(Array("MM\0*".utf8)))
        let exif = try #require(LibExifData(tiff: tiff, followSpecification: false, ignoreUnknownTags: true))
        let make = try #require(exif.entry(0x010F, in: .zero))
        #expect(make.components == 7)  // "ikmeta" and its NUL
        #expect(try HEIFExif.tiffPayload(MemoryByteSource(try Self.bytes("heic-rgb.heic"))) == nil)
    }

    @Test func exifOffsetHeaderIsHonouredAndBounded() {
        #expect(HEIFExif.tiff(fromBlock: [0, 0, 0, 2, 0xAA, 0xBB, 0x49, 0x49]) == [0x49, 0x49])
        #expect(HEIFExif.tiff(fromBlock: [0, 0, 0, 0, 0x4D, 0x4D]) == [0x4D, 0x4D])
        #expect(HEIFExif.tiff(fromBlock: [0, 0, 0, 9, 1]) == nil)
        #expect(HEIFExif.tiff(fromBlock: [0xFF, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(HEIFExif.tiff(fromBlock: [0, 0]) == nil)
    }

    @Test func heifTransformsAndAlphaAreReported() throws {
        let rotated = try MetadataReader.read(path: Self.folder.appendingPathComponent("heic-exif.heic").path).metadata
        #expect(rotated.width == 48 && rotated.height == 64)  // irot applied, as heifload does
        let alpha = try MetadataReader.read(path: Self.folder.appendingPathComponent("avif-alpha.avif").path).metadata
        #expect(alpha.format == .avif && alpha.hasTransparency && alpha.pHash != nil)
    }

    @Test(arguments: ["heic-rgb.heic", "avif-alpha.avif"])
    func truncatedOrDamagedHEIFGetsAnErrorOrAnObjectNeverACrash(name: String) throws {
        let whole = try Self.bytes(name)
        for length in stride(from: 12, to: whole.count, by: max(1, whole.count / 40)) {
            if let result = try? MetadataReader.read(bytes: Array(whole.prefix(length))) {
                #expect(result.metadata.width > 0)
            }
        }
        var damaged = whole
        for i in stride(from: 40, to: damaged.count, by: 7) { damaged[i] ^= 0x5A }
        if let result = try? MetadataReader.read(bytes: damaged) { #expect(result.metadata.width > 0) }
        #expect(throws: MetadataError.self) { try MetadataReader.read(bytes: Array(whole.prefix(40))) }
    }

    @Test func heifPixelLimitIsAnError() throws {
        var options = ReadOptions()
        options.limits.pixels = 100
        #expect(throws: MetadataError.overLimit(what: "pixel count", value: 64 * 48, limit: 100)) {
            try MetadataReader.read(path: Self.folder.appendingPathComponent("heic-rgb.heic").path, options: options)
        }
    }
}
