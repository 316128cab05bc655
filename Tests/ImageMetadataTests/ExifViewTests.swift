import Foundation
import Testing
@testable import ImageMetadata

/// The EXIF view (`ikmeta exif`): every container, both byte orders, hostile blocks.
struct ExifViewTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestImages/exif-view")

    /// The generated files: one EXIF block per container and byte order (TestImages/exif-view/generate.py).
    static let containers = ["jpg", "exif-chunk.png", "raw-profile.png", "webp", "tif"]
    static let sources = [
        "jpg": "JPEG APP1", "exif-chunk.png": "PNG eXIf", "raw-profile.png": "PNG Raw profile type exif",
        "webp": "WebP EXIF", "tif": "TIFF IFD0",
    ]

    static func view(_ order: String, _ container: String) throws -> ExifView {
        let name = container.contains(".") ? "\(order)-\(container)" : "\(order).\(container)"
        return try ExifViewReader.read(path: folder.appendingPathComponent(name).path)
    }

    static func tag(_ v: ExifView, _ ifd: ExifIFD, _ id: UInt16) -> ExifTag? {
        v.tags.first { $0.entry.ifd == ifd && $0.id == id }
    }

    @Test("each container gives the block's tags with libexif's descriptions", arguments: containers)
    func descriptions(container: String) throws {
        for order in ["ii", "mm"] {
            let v = try Self.view(order, container)
            #expect(v.source == Self.sources[container])
            #expect(v.bigEndian == (order == "mm"))
            #expect(v.diagnostics.isEmpty, "\(v.diagnostics)")
            #expect(v.directories.map(\.name) == ["IFD0", "IFD1", "ExifIFD", "GPS", "InteropIFD"])
            #expect(Self.tag(v, .image, 0x010F)?.text == "ikmeta")
            #expect(Self.tag(v, .image, 0x0112)?.text == "Right-top")
            #expect(Self.tag(v, .exif, 0x829A)?.text == "1/160 sec.")
            #expect(Self.tag(v, .exif, 0x829D)?.text == "f/7.1")
            #expect(Self.tag(v, .exif, 0x9209)?.text == "Flash fired, auto mode")
            #expect(Self.tag(v, .exif, 0x9204)?.entry.value == .signedRationals([ExifRational(-1, 3)]))
            #expect(Self.tag(v, .interoperability, 0x0001)?.text == "R98")
        }
    }

    @Test("unknown tags, FLOAT, DOUBLE and count-0 entries are all listed", arguments: containers)
    func nothingDropped(container: String) throws {
        for order in ["ii", "mm"] {
            let v = try Self.view(order, container)
            let unknown = try #require(Self.tag(v, .exif, 0x9999))
            #expect(unknown.name == "0x9999" && !unknown.isKnown)
            #expect(unknown.entry.value == .signedLongs([-7, 12]))
            #expect(Self.tag(v, .exif, 0xA500)?.entry.value == .floats([2.25]))
            #expect(Self.tag(v, .exif, 0xC001)?.entry.value == .doubles([1.5, -0.125]))
            let empty = try #require(Self.tag(v, .exif, 0x9286))
            #expect(empty.entry.count == 0 && empty.text == "(no value)")
        }
    }

    @Test("GPS in decimal degrees, metres and UTC; the thumbnail", arguments: containers)
    func extras(container: String) throws {
        for order in ["ii", "mm"] {
            let v = try Self.view(order, container)
            let gps = try #require(v.gps)
            #expect(abs(gps.latitude! - -(33 + 51.0 / 60 + 30.81 / 3600)) < 1e-9)
            #expect(abs(gps.longitude! - -(70 + 24.0 / 60 + 44.52 / 3600)) < 1e-9)
            #expect(gps.altitude == -12.5)
            #expect(gps.time == "2026-12-04T14:05:30Z")
            let thumbnail = try #require(v.thumbnail)
            #expect(thumbnail.format == "jpeg" && thumbnail.bytes.starts(with: [0xFF, 0xD8]))
        }
    }

    @Test("both byte orders give the same view", arguments: containers)
    func byteOrdersAgree(container: String) throws {
        let ii = try Self.view("ii", container), mm = try Self.view("mm", container)
        #expect(ii.tags.map(\.name) == mm.tags.map(\.name))
        #expect(ii.tags.map(\.text) == mm.tags.map(\.text))
        #expect(ii.tags.map(\.entry.value) == mm.tags.map(\.entry.value))
    }

    @Test("a file without EXIF has no tags; a HEIC's Exif item is read through libheif")
    func withoutExif() throws {
        let images = Self.folder.deletingLastPathComponent()
        let png = try ExifViewReader.read(path: images.appendingPathComponent("rgb.png").path)
        #expect(png.tags.isEmpty && png.source == nil && png.diagnostics.isEmpty)
        let plain = try ExifViewReader.read(path: images.appendingPathComponent("heic-rgb.heic").path)
        #expect(plain.tags.isEmpty && plain.source == nil)
        let heic = try ExifViewReader.read(path: images.appendingPathComponent("heic-exif.heic").path)
        #expect(heic.source == "HEIF Exif item")
        #expect(heic.tags.contains { $0.entry.tag == 0x010F && $0.text == "ikmeta" })
        #expect(throws: MetadataError.self) { try ExifViewReader.read(bytes: Array("\0\0\0\u{18}ftypheic\0\0\0\0mif1heic".utf8)) }
        #expect(throws: MetadataError.self) { try ExifViewReader.read(bytes: [1, 2, 3]) }
    }

    @Test("the ICC profile's description and the XMP packet's size")
    func iccAndXMP() throws {
        let icc = try ExifViewReader.read(path: Self.folder.deletingLastPathComponent().appendingPathComponent("icc-srgb.png").path)
        #expect(icc.iccDescription == "sRGB built-in")
        let packet = Array("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>".utf8)
        let xmp = ExifBlob.segment(0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + packet)
        var b = ExifBlob(bigEndian: false)
        b.ifd("0", [b.ascii(0x010F, "C\0")])
        let v = try ExifViewReader.read(bytes: b.jpeg(after: xmp))
        #expect(v.xmpBytes == packet.count && v.tags.count == 1)
    }

    @Test("a Canon MakerNote is decoded by libexif", arguments: [false, true])
    func makerNote(bigEndian: Bool) throws {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "Canon\0"), b.pointer(0x8769, to: "exif")])
        // A Canon MakerNote is a plain IFD: one entry, tag 0x0006 (ImageType), ASCII.
        var note = b.u16(1) + b.u16(6) + b.u16(2) + b.u32(4) + Array("EOS\0".utf8) + b.u32(0)
        note += [UInt8](repeating: 0, count: 2)
        b.ifd("exif", [b.undefined(0x927C, note)])
        let v = try ExifViewReader.read(bytes: b.jpeg())
        let mn = try #require(v.makerNote)
        #expect(mn.maker == "Canon" && mn.bytes == note.count)
        #expect(mn.tags.contains { $0.text.contains("EOS") }, "\(mn.tags)")
    }

    @Test("hostile blocks: loops, huge counts and offsets past the end are bounded", arguments: [false, true])
    func hostile(bigEndian: Bool) throws {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "C\0"), b.pointer(0x8769, to: "0"), b.pointer(0x8825, to: "0"),
            b.raw(0x0110, type: 2, count: 0xFFFF_FFFF, field: 8), b.raw(0x9999, type: 12, count: 0x1000_0000, field: 0xFFFF_FFF0)],
            next: "0")
        let v = try ExifViewReader.read(bytes: b.jpeg())
        #expect(v.directories.count == 4)  // IFD0, IFD1, Exif, GPS: each read once
        #expect(v.diagnostics.contains { $0.message.contains("loop") })
        #expect(v.diagnostics.contains { $0.message.contains("components") })
        #expect(v.tags.allSatisfy { $0.entry.data.count <= ExifReader.entryByteLimit })

        var limits = Limits()
        limits.exifEntries = 3
        let cut = try ExifViewReader.read(bytes: b.jpeg(), limits: limits)
        #expect(cut.tags.count <= 3)
    }
}
