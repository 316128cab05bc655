import Testing
@testable import ImageMetadata

/// The `exif` object's rules (SPEC §3), one test per rule, each in both byte orders, on blobs
/// built by `ExifBlob`.
struct ExifObjectTests {
    static let orders = [false, true]

    static func read(_ blob: ExifBlob, before: [UInt8] = []) -> ExifParse {
        ExifReader.read(bytes: blob.jpeg(before: before))
    }

    /// One group of the object as compact JSON (`nil` when the object is `{}`).
    static func group(_ parse: ExifParse, _ key: String) -> String? {
        parse.object[key].map { JSONWriter.compact($0) }
    }

    static func text(_ parse: ExifParse) -> String { JSONWriter.compact(.object(parse.object)) }

    @Test("six keys in order, missing IFDs as {}", arguments: orders)
    func sixKeys(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "Canon\0")])
        let p = Self.read(b)
        #expect(p.object.keys == ["image", "thumbnail", "exif", "gps", "interoperability", "makernote"])
        #expect(Self.text(p) == #"{"image":{"Make":"Canon"},"thumbnail":{},"exif":{},"gps":{},"interoperability":{},"makernote":{}}"#)
        #expect(p.bigEndian == bigEndian)
        #expect(p.tiffOffset == ExifBlob.tiffStart())
    }

    @Test("entries keep file order, not tag order", arguments: orders)
    func fileOrder(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.short(0x0112, [1]), b.ascii(0x0110, "M\0"), b.ascii(0x010F, "C\0")])
        #expect(Self.group(Self.read(b), "image") == #"{"Orientation":1,"Model":"M","Make":"C"}"#)
    }

    @Test("pointer and thumbnail tags stay as plain numbers", arguments: orders)
    func pointerTags(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd(
            "0", [b.ascii(0x010F, "Canon\0"), b.pointer(0x8769, to: "exif"), b.pointer(0x8825, to: "gps")], next: "1")
        b.ifd("1", [b.short(0x0103, [6]), b.long(0x0201, [1234]), b.long(0x0202, [99])])
        b.ifd("exif", [b.short(0x8827, [100]), b.pointer(0xA005, to: "interop")])
        b.ifd("gps", [b.byte(0x0000, [2, 2, 0, 0]), b.ascii(0x0001, "N\0")])
        b.ifd("interop", [b.ascii(0x0001, "R98\0")])
        let at = b.layout().ifds
        let p = Self.read(b)
        #expect(Self.group(p, "image") == #"{"Make":"Canon","ExifOffset":\#(at["exif"]!),"GPSInfo":\#(at["gps"]!)}"#)
        #expect(Self.group(p, "thumbnail") == #"{"Compression":6,"ThumbnailOffset":1234,"ThumbnailLength":99}"#)
        #expect(Self.group(p, "exif") == #"{"ISO":100,"InteropOffset":\#(at["interop"]!)}"#)
        #expect(Self.group(p, "gps") == #"{"GPSVersionID":[2,2,0,0],"GPSLatitudeRef":"N"}"#)
        #expect(Self.group(p, "interoperability") == #"{"InteropIndex":"R98"}"#)
    }

    @Test("GPS names come from the GPS table, all other IFDs share one table", arguments: orders)
    func twoTables(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x0001, "R98\0"), b.pointer(0x8825, to: "gps")])
        b.ifd("gps", [b.ascii(0x0001, "N\0"), b.ascii(0x010F, "Make in GPS\0"), b.ascii(0x001D, "2013:02:06\0")])
        let p = Self.read(b)
        #expect(Self.group(p, "image")?.hasPrefix(#"{"InteropIndex":"R98""#) == true)
        #expect(Self.group(p, "gps") == #"{"GPSLatitudeRef":"N","GPSDateStamp":"2013:02:06"}"#)
    }

    @Test("one component is a scalar, others an array, count 0 an empty array", arguments: orders)
    func scalarsAndArrays(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.pointer(0x8769, to: "exif")])
        b.ifd(
            "exif",
            [
                b.short(0xA401, []), b.short(0xA402, [0, 1]), b.short(0xA403, [7]), b.long(0xA002, [4000]),
                b.long(0xA003, [1, 2, 3]), b.byte(0x9C9B, [65, 0]), b.sbyte(0xA40A, [-3]), b.sshort(0x9214, [-5]),
                b.slong(0x9206, [-7]), b.rational(0x920A, []),
            ])
        #expect(
            Self.group(Self.read(b), "exif")
                == #"{"CustomRendered":[],"ExposureMode":[0,1],"WhiteBalance":7,"ExifImageWidth":4000,"ExifImageHeight":[1,2,3],"XPTitle":[65,0],"Sharpness":-3,"SubjectArea":-5,"SubjectDistance":-7,"FocalLength":[]}"#
        )
    }

    @Test("rationals are num/den doubles, x/0 is null", arguments: orders)
    func rationals(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.rational(0x011A, [(72, 1)]), b.rational(0x011B, [(0, 0)]), b.pointer(0x8769, to: "exif")])
        b.ifd(
            "exif",
            [
                b.rational(0x829A, [(1, 4608)]), b.srational(0x9204, [(-1, 3)]), b.rational(0x920E, [(1, 0)]),
                b.rational(0xA432, [(24, 1), (70, 1), (28, 10), (28, 10)]), b.srational(0x9203, [(0, -5)]),
                b.rational(0x829D, [(0xFFFF_FFFF, 1)]),
            ])
        let p = Self.read(b)
        #expect(Self.group(p, "image")?.hasPrefix(#"{"XResolution":72,"YResolution":null,"#) == true)
        #expect(
            Self.group(p, "exif")
                == #"{"ExposureTime":0.00021701388888888888,"ExposureCompensation":-0.3333333333333333,"FocalPlaneXResolution":null,"LensInfo":[24,70,2.8,2.8],"BrightnessValue":0,"FNumber":4294967295}"#
        )
    }

    @Test("ASCII is Latin-1 with one trailing NUL removed and nothing else trimmed", arguments: orders)
    func ascii(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd(
            "0",
            [
                b.ascii(0x010F, "Canon\0\0"), b.ascii(0x0110, "Café\0"), b.ascii(0x0131, "ab"),
                b.ascii(0x8298, "  x  \0"), b.ascii(0x010E, []), b.ascii(0x013B, "\0"),
            ])
        #expect(
            Self.group(Self.read(b), "image")
                == "{\"Make\":\"Canon\\u0000\",\"Model\":\"CafÃ©\",\"Software\":\"ab\",\"Copyright\":\"  x  \",\"ImageDescription\":\"\",\"Artist\":\"\"}"
        )
    }

    @Test("UNDEFINED is its bytes as UTF-8 text, invalid sequences as U+FFFD", arguments: orders)
    func undefined(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.pointer(0x8769, to: "exif")])
        b.ifd(
            "exif",
            [
                b.undefined(0x9000, Array("0221".utf8)), b.undefined(0x9101, [1, 2, 3, 0]), b.undefined(0xA300, [3]),
                b.undefined(0x9286, Array("ASCII\0\0\0Hi".utf8) + [0xE9]), b.undefined(0xA301, []),
                b.undefined(0xA302, Array("é".utf8)),
            ])
        #expect(
            Self.group(Self.read(b), "exif")
                == "{\"ExifVersion\":\"0221\",\"ComponentsConfiguration\":\"\\u0001\\u0002\\u0003\\u0000\",\"FileSource\":\"\\u0003\",\"UserComment\":\"ASCII\\u0000\\u0000\\u0000Hi\u{FFFD}\",\"SceneType\":\"\",\"CFAPattern\":\"é\"}"
        )
    }

    @Test("FLOAT, DOUBLE, unknown tags, OffsetTime* and Padding are dropped", arguments: orders)
    func dropped(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.raw(0x9999, type: 3, count: 1, field: 0), b.ascii(0x010F, "C\0"), b.pointer(0x8769, to: "exif")])
        b.ifd(
            "exif",
            [
                b.float(0xA500, 2.2), b.double(0x9201, 1.5), b.ascii(0x9011, "+00:00\0"), b.undefined(0xEA1C, [0, 0]),
                b.raw(0x9000, type: 13, count: 1, field: 0), b.short(0x8827, [200]),
            ])
        let p = Self.read(b)
        #expect(Self.group(p, "image")?.hasPrefix(#"{"Make":"C","ExifOffset":"#) == true)
        #expect(Self.group(p, "exif") == #"{"ISO":200}"#)
        // The typed entries still list them all.
        #expect(p.entries.filter { $0.ifd == .exif }.map(\.tag) == [0xA500, 0x9201, 0x9011, 0xEA1C, 0x9000, 0x8827])
        #expect(p.entries.first { $0.tag == 0xA500 }?.value == .floats([2.2]))
        #expect(p.entries.first { $0.tag == 0x9201 }?.value == .doubles([1.5]))
    }

    /// `count` SHORT entries with distinct node-exif names (no pointer, MakerNote or Padding tags).
    static func manyEntries(_ b: ExifBlob, _ count: Int) -> [ExifBlob.Entry] {
        var seen = Set<String>()
        let tags = ExifTagNames.main.keys.sorted().filter {
            ![0x8769, 0x8825, 0xA005, 0x927C, 0xEA1C].contains($0) && seen.insert(ExifTagNames.main[$0]!).inserted
        }
        return tags.prefix(count).map { b.short($0, [1]) }
    }

    @Test("IFD0 reads 128 entries and finds IFD1's pointer after them; the Exif IFD has no cap", arguments: orders)
    func caps(bigEndian: Bool) throws {
        var b = ExifBlob(bigEndian: bigEndian)
        var ifd0 = Self.manyEntries(b, 128)
        ifd0.append(b.raw(0, type: 0, count: 0, field: 0))  // read as the next-IFD pointer: 0
        ifd0.append(b.pointer(0x8769, to: "exif"))  // entry 130: past the cap, never seen
        b.ifd("0", ifd0, next: "1")
        b.ifd("1", [b.short(0x0103, [6])])
        b.ifd("exif", Self.manyEntries(b, 200))
        let p = Self.read(b)
        guard case .object(let image)? = p.object["image"] else { throw ExifTestFailure("no image") }
        #expect(image.count == 128)
        #expect(Self.group(p, "thumbnail") == "{}")
        #expect(Self.group(p, "exif") == "{}")

        var c = ExifBlob(bigEndian: bigEndian)
        c.ifd("0", [c.pointer(0x8769, to: "exif"), c.pointer(0x8825, to: "gps")])
        c.ifd("exif", Self.manyEntries(c, 200))
        c.ifd("gps", (0..<130).map { c.short(UInt16($0 % 32), [UInt16($0)]) })
        let q = Self.read(c)
        guard case .object(let exif)? = q.object["exif"], case .object(let gps)? = q.object["gps"] else {
            throw ExifTestFailure("no exif or gps")
        }
        #expect(exif.count == 200)
        // 128 GPS entries over 32 names: the later values win (entries 96–127).
        #expect(gps.count == 32 && gps["GPSVersionID"] == .number(96))
    }

    @Test("the Interop IFD stops at its first unknown tag or type", arguments: orders)
    func interopBreak(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.pointer(0x8769, to: "exif")])
        b.ifd("exif", [b.pointer(0xA005, to: "interop")])
        b.ifd(
            "interop",
            [
                b.ascii(0x0001, "R98\0"), b.undefined(0x0002, Array("0100".utf8)), b.undefined(0xEA1C, [0]),
                b.short(0x5555, [1]), b.short(0x1001, [640]),
            ])
        #expect(Self.group(Self.read(b), "interoperability") == #"{"InteropIndex":"R98","InteropVersion":"0100"}"#)

        var c = ExifBlob(bigEndian: bigEndian)
        c.ifd("0", [c.pointer(0x8769, to: "exif")])
        c.ifd("exif", [c.pointer(0xA005, to: "interop")])
        c.ifd("interop", [c.ascii(0x0001, "R03\0"), c.float(0x1000, 1), c.short(0x1001, [640])])
        #expect(Self.group(Self.read(c), "interoperability") == #"{"InteropIndex":"R03"}"#)
    }

    @Test("a repeated name keeps its first position and takes the later value", arguments: orders)
    func repeatedNames(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "First\0"), b.ascii(0x0110, "M\0"), b.ascii(0x010F, "Second\0"), b.pointer(0x8769, to: "exif")])
        b.ifd("exif", [b.rational(0x920E, [(1, 2)]), b.short(0x8827, [100]), b.rational(0xA20E, [(3, 4)])])
        let p = Self.read(b)
        #expect(Self.group(p, "image")?.hasPrefix(#"{"Make":"Second","Model":"M","#) == true)
        #expect(Self.group(p, "exif") == #"{"FocalPlaneXResolution":0.75,"ISO":100}"#)
        // libexif keeps the first copy of a tag; the second value comes from the raw index.
        #expect(p.entries.filter { $0.tag == 0x010F }.map(\.source) == [.libexif, .tiff])
    }

    @Test("makernote: none, an unknown vendor, a known vendor", arguments: orders)
    func makerNote(bigEndian: Bool) {
        func object(_ note: ExifBlob.Entry?) -> ExifParse {
            var b = ExifBlob(bigEndian: bigEndian)
            b.ifd("0", [b.pointer(0x8769, to: "exif")])
            b.ifd("exif", [b.short(0x8827, [100])] + (note.map { [$0] } ?? []))
            return Self.read(b)
        }
        let b = ExifBlob(bigEndian: bigEndian)
        #expect(Self.group(object(nil), "makernote") == "{}")
        let canon = object(b.undefined(0x927C, [0x01, 0x00, 0x02, 0x00, 0xFF, 0xFE]))
        #expect(
            Self.group(canon, "makernote")
                == #"{"error":"Unable to extract Makernote information as it is in an unsupported or unrecognized format."}"#)
        #expect(Self.group(canon, "exif") == "{\"ISO\":100,\"MakerNote\":\"\\u0001\\u0000\\u0002\\u0000\u{FFFD}\u{FFFD}\"}")
        #expect(Self.group(object(b.undefined(0x927C, Array("FUJIFILM\u{C}\0\0\0".utf8))), "makernote") == "{}")
        #expect(Self.group(object(b.undefined(0x927C, Array("OLYMP\0\u{2}\0".utf8))), "makernote") == "{}")
        // A short Buffer reads as NUL past its end: "EPSON\0\1" matches "EPSON\0\1\0".
        #expect(Self.group(object(b.undefined(0x927C, Array("EPSON\0\u{1}".utf8))), "makernote") == "{}")
    }

    @Test("a MakerNote that is not UNDEFINED makes node-exif fail: exif is {}", arguments: orders)
    func makerNoteNotUndefined(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "C\0"), b.pointer(0x8769, to: "exif")])
        b.ifd("exif", [b.ascii(0x927C, "Nikon\0")])
        let p = Self.read(b)
        #expect(p.object.isEmpty)
        #expect(!p.diagnostics.isEmpty)
    }

    @Test("only a first APP1 holding Exif and a TIFF header counts", arguments: orders)
    func whichAPP1(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "C\0")])
        let xmp = ExifBlob.segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0<x/>".utf8))
        #expect(Self.read(b, before: xmp).object.isEmpty)
        let app0 = ExifBlob.segment(0xE0, Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0])
        #expect(!Self.read(b, before: app0).object.isEmpty)
        // A byte other than 0xFF where a marker belongs ends node-exif's walk.
        #expect(Self.read(b, before: [0x00]).object.isEmpty)
        var bad = b.jpeg()
        bad[ExifBlob.tiffStart() + 2] ^= 0xFF  // break the 0x002A mark
        let p = ExifReader.read(bytes: bad)
        #expect(p.object.isEmpty && p.tiffOffset == nil && !p.diagnostics.isEmpty)
    }

    @Test("PNG and JPEG without EXIF give {} through MetadataReader.read")
    func noExif() throws {
        let jpeg = [0xFF, 0xD8] + ExifBlob.imageSegments
        #expect(try MetadataReader.read(bytes: jpeg, options: ReadOptions(pHash: .none)).metadata.exif == JSONObject())
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            [0, 0, 0, UInt8(data.count)] + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        let png = PNGChunkReader.signature + chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]) + chunk("IEND", [])
        #expect(try MetadataReader.read(bytes: png, options: ReadOptions(pHash: .none)).metadata.exif == JSONObject())
        var b = ExifBlob(bigEndian: false)
        b.ifd("0", [b.ascii(0x010F, "C\0")])
        let withExif = try MetadataReader.read(bytes: b.jpeg(), options: ReadOptions(pHash: .none)).metadata
        #expect(withExif.exif?.keys.count == 6)
    }

    @Test("values are read from the whole file, also after the APP1 segment", arguments: orders)
    func valueAfterSegment(bigEndian: Bool) {
        func blob(_ field: UInt32) -> ExifBlob {
            var b = ExifBlob(bigEndian: bigEndian)
            b.ifd("0", [b.raw(0x010E, type: 2, count: 6, field: field)])
            return b
        }
        // The value sits in a COM segment after the APP1: TIFF end + marker and length.
        let b = blob(UInt32(blob(0).tiff().count + 4))
        let file = b.jpeg(after: ExifBlob.segment(0xFE, Array("Hello\0".utf8)))
        #expect(Self.group(ExifReader.read(bytes: file), "image") == #"{"ImageDescription":"Hello"}"#)
    }

    @Test("values past the end of the file read as JavaScript does: null, NUL, dropped high bytes", arguments: orders)
    func valuesPastTheEnd(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        let far: UInt32 = 0x00FF_FF00
        b.ifd(
            "0",
            [
                b.raw(0x011A, type: 5, count: 1, field: far), b.raw(0x010F, type: 2, count: 5, field: far),
                b.raw(0x0110, type: 7, count: 5, field: far), b.raw(0x0102, type: 3, count: 3, field: far),
            ])
        let p = ExifReader.read(bytes: b.tiffOnlyJPEG())
        #expect(
            Self.group(p, "image")
                == "{\"XResolution\":null,\"Make\":\"\\u0000\\u0000\\u0000\\u0000\",\"Model\":\"\",\"BitsPerSample\":[null,null,null]}")
        #expect(!p.diagnostics.isEmpty)

        // Two LONGs at the last 2 bytes of the file: little-endian keeps the low bytes, big-endian is NaN.
        func blob(_ field: UInt32) -> ExifBlob {
            var c = ExifBlob(bigEndian: bigEndian)
            c.ifd("0", [c.raw(0x0100, type: 4, count: 2, field: field)])
            return c
        }
        let c = blob(UInt32(blob(0).tiff().count))
        let q = ExifReader.read(bytes: c.tiffOnlyJPEG() + [0x34, 0x12])
        #expect(Self.group(q, "image") == (bigEndian ? #"{"ImageWidth":[null,null]}"# : #"{"ImageWidth":[4660,null]}"#))
        #expect(q.entries.first?.value == .longs([]))
    }

    @Test("a pointer that is not a number is kept but not followed", arguments: orders)
    func pointerNotANumber(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x8769, "26\0"), b.long(0x8825, [])], next: "1")
        b.ifd("1", [b.short(0x0103, [6])])
        let p = Self.read(b)
        #expect(Self.group(p, "image") == #"{"ExifOffset":"26","GPSInfo":[]}"#)
        #expect(Self.group(p, "exif") == "{}" && Self.group(p, "gps") == "{}")
        #expect(Self.group(p, "thumbnail") == #"{"Compression":6}"#)
    }

    @Test("typed entries: IFD, tag, type, count, offsets and decoded values", arguments: orders)
    func typedEntries(bigEndian: Bool) throws {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "Canon\0"), b.rational(0x011A, [(300, 1)]), b.pointer(0x8769, to: "exif")])
        b.ifd("exif", [b.srational(0x9204, [(-2, 3)]), b.sshort(0x9214, [-1, 2]), b.short(0xA401, [])])
        let p = Self.read(b)
        #expect(p.entries.map(\.ifd) == [.image, .image, .image, .exif, .exif, .exif])
        let make = try #require(p.entries.first)
        #expect(make.tag == 0x010F && make.type == .ascii && make.count == 6 && make.name == "Make")
        #expect(make.value == .ascii(Array("Canon\0".utf8)))
        #expect(make.entryOffset == 10 && make.bigEndian == bigEndian)
        #expect(p.entries[1].value == .rationals([ExifRational(300, 1)]))
        #expect(p.entries[2].type == .long && p.entries[2].value == .longs([UInt32(b.layout().ifds["exif"]!)]))
        #expect(p.entries[3].value == .signedRationals([ExifRational(-2, 3)]))
        #expect(p.entries[4].value == .signedShorts([-1, 2]))
        #expect(p.entries[5].count == 0 && p.entries[5].value == .shorts([]))
        // libexif holds every entry it can; pointers and count-0 entries come from the raw index.
        #expect(p.entries.map(\.source) == [.libexif, .libexif, .tiff, .libexif, .libexif, .tiff])
    }
}

struct ExifTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ExifBlob {
    /// SOI + an APP1 with this TIFF block and nothing after it, so the file ends with the block.
    func tiffOnlyJPEG() -> [UInt8] {
        [0xFF, 0xD8] + Self.segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff())
    }

}

extension ExifObjectTests {
    @Test("an entry cut by the end of the file is read with JavaScript's NaN rules", arguments: orders)
    func entryCutByTheEnd(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.raw(0x010F, type: 2, count: 10, field: 8)])
        // Keep the tag, type, count and the first byte of the value field.
        let file = Array(b.tiffOnlyJPEG().prefix(ExifBlob.tiffStart() + 8 + 2 + 9))
        let p = ExifReader.read(bytes: file)
        #expect(p.entries.isEmpty)
        #expect(!p.diagnostics.isEmpty)
        if bigEndian {
            // The pointer's missing low bytes make it NaN, and `getString(NaN, 10)` is "".
            #expect(Self.group(p, "image") == #"{"Make":""}"#)
        } else {
            // Little-endian, the missing high bytes vanish: the pointer is 8, the start of IFD0.
            let start = ExifBlob.tiffStart() + 8
            let text = String(decoding: file[start..<start + 9].map { UInt16($0) }, as: UTF16.self)
            #expect(Self.group(p, "image") == JSONWriter.compact(.object(JSONObject([("Make", .string(text))]))))
        }
    }
}
