import Testing
@testable import ImageMetadata

/// Hostile EXIF blobs: each returns (quickly) with what could be read and a diagnostic, never a
/// crash (ARCHITECTURE "hard limits and cycle detection"; issue 3).
struct ExifHostileTests {
    static let orders = [false, true]

    @Test("ifd-loop: IFD1, Exif and Interop pointing back at tables already read", arguments: orders)
    func ifdLoop(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "C\0"), b.pointer(0x8769, to: "0"), b.pointer(0x8825, to: "0")], next: "0")
        let p = ExifReader.read(bytes: b.jpeg())
        #expect(ExifObjectTests.group(p, "image") == ExifObjectTests.group(p, "thumbnail"))
        #expect(ExifObjectTests.group(p, "exif") == ExifObjectTests.group(p, "image"))
        #expect(p.diagnostics.contains { $0.message.contains("loop") })

        var c = ExifBlob(bigEndian: bigEndian)
        c.ifd("0", [c.pointer(0x8769, to: "exif")])
        c.ifd("exif", [c.pointer(0xA005, to: "exif"), c.short(0x8827, [100])], next: "exif")
        let q = ExifReader.read(bytes: c.jpeg())
        #expect(ExifObjectTests.group(q, "interoperability")?.contains("InteropOffset") == true)
        #expect(q.diagnostics.contains { $0.message.contains("loop") })
    }

    @Test("offsets-past-end: IFD, next-IFD and value offsets beyond the file", arguments: orders)
    func offsetsPastTheEnd(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd(
            "0", [b.ascii(0x010F, "C\0"), b.raw(0x8769, type: 4, count: 1, field: 0xFFFF_FFF0), b.raw(0x0110, type: 2, count: 40, field: 0x7FFF_FFFF)],
            nextField: 0xFFFF_FF00)
        let p = ExifReader.read(bytes: b.jpeg())
        #expect(ExifObjectTests.group(p, "image")?.hasPrefix(#"{"Make":"C","ExifOffset":4294967280,"Model":""#) == true)
        #expect(ExifObjectTests.group(p, "thumbnail") == "{}" && ExifObjectTests.group(p, "exif") == "{}")
        #expect(!p.diagnostics.isEmpty)

        var c = ExifBlob(bigEndian: bigEndian)
        c.ifd("0", [c.ascii(0x010F, "C\0")])
        var file = c.tiffOnlyJPEG()
        let ifd0Pointer = ExifBlob.tiffStart() + 4
        for k in 0..<4 { file[ifd0Pointer + k] = 0xFF }
        let q = ExifReader.read(bytes: file)
        #expect(q.object.keys.count == 6 && ExifObjectTests.group(q, "image") == "{}")
        #expect(!q.diagnostics.isEmpty)
    }

    @Test("huge-counts: counts near 2^32 on every type", arguments: orders)
    func hugeCounts(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        let types: [UInt16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        let names: [UInt16] = [0x010E, 0x010F, 0x0110, 0x0131, 0x0132, 0x013B, 0x013C, 0x8298, 0x0102, 0x0103, 0x0106, 0x0111]
        b.ifd("0", zip(names, types).map { b.raw($0, type: $1, count: 0xFFFF_FFFF - UInt32($1), field: 8) })
        let p = ExifReader.read(bytes: b.jpeg())
        #expect(p.object.isEmpty)  // node-exif cannot build arrays that long
        #expect(p.entries.count == 12)
        #expect(p.entries.allSatisfy { $0.data.count <= 1 << 16 })
        #expect(!p.diagnostics.isEmpty)

        // UNDEFINED values are slices, and unknown tags are never read: the object survives.
        var c = ExifBlob(bigEndian: bigEndian)
        let unknown: [UInt16] = [0x9990, 0x9991, 0x9992, 0x9993, 0x9994, 0x9995, 0x9996, 0x9997, 0x9998, 0x9999, 0x999A, 0x999B]
        c.ifd(
            "0",
            [c.raw(0x9000, type: 7, count: 0xFFFF_FFFF, field: 8)]
                + zip(unknown, types).map { c.raw($0, type: $1, count: 0xFFFF_FFFF - UInt32($1), field: 8) })
        let file = c.jpeg()
        let q = ExifReader.read(bytes: file)
        let tail = Array(file[(ExifBlob.tiffStart() + 8)...])
        #expect(ExifObjectTests.group(q, "image") == JSONWriter.compact(.object(JSONObject([("ExifVersion", .string(String(decoding: tail, as: UTF8.self)))]))))
    }

    @Test("many-entries: over 10^5 entries with huge values stop at the limits")
    func manyEntries() {
        var b = ExifBlob(bigEndian: false)
        let big = (0..<65_535).map { i in b.raw(UInt16(0x9000 + i % 64), type: 7, count: 0xFFFF_FFFF, field: 8) }
        b.ifd("0", [b.pointer(0x8769, to: "exif"), b.pointer(0x8825, to: "gps")] + Array(big.prefix(200)), next: "1")
        b.ifd("1", Array(big.prefix(200)))
        b.ifd("exif", big)
        b.ifd("gps", big)
        let file = b.tiffOnlyJPEG()  // 1.5 MB; the APP1 length field is wrong, as in a hostile file
        let p = ExifReader.read(bytes: file)
        #expect(p.object.keys.count == 6)
        #expect(p.entries.count <= Limits().exifEntries)
        #expect(p.entries.reduce(0) { $0 + $1.data.count } <= 2 * ExifReader.valueByteLimit)
        #expect(p.entries.allSatisfy { $0.data.count <= ExifReader.entryByteLimit })
        #expect(p.diagnostics.count <= DiagnosticLog.limit + 1)
    }

    @Test("shared-value: thousands of entries pointing at one large value are not handed to libexif", arguments: orders)
    func sharedValue(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        let entries = (0..<5_000).map { i in b.raw(UInt16(0x1000 + i), type: 7, count: 59_000, field: 8) }
        b.ifd("0", [b.ascii(0x010F, "C\0")] + entries)
        let p = ExifReader.read(bytes: b.tiffOnlyJPEG())
        #expect(ExifObjectTests.group(p, "image")?.hasPrefix(#"{"Make":"C","RelatedImageFileFormat":""#) == true)
        #expect(p.diagnostics.contains { $0.message.contains("libexif") })
        #expect(p.entries.allSatisfy { $0.source == .tiff })
    }

    @Test("mutated blobs never crash: 1,000 deterministic byte mutations of a camera-like blob")
    func mutations() {
        var b = ExifBlob(bigEndian: true)
        b.ifd(
            "0",
            [
                b.ascii(0x010F, "Canon\0"), b.ascii(0x0110, "Canon EOS 40D\0"), b.rational(0x011A, [(72, 1)]),
                b.pointer(0x8769, to: "exif"), b.pointer(0x8825, to: "gps"),
            ], next: "1")
        b.ifd("1", [b.short(0x0103, [6]), b.long(0x0201, [400]), b.long(0x0202, [40])])
        b.ifd(
            "exif",
            [
                b.rational(0x829A, [(1, 160)]), b.undefined(0x9000, Array("0221".utf8)), b.pointer(0xA005, to: "interop"),
                b.undefined(0x927C, Array("OLYMP\0\u{1}\0abcdefgh".utf8)), b.undefined(0x9286, Array(repeating: 0, count: 40)),
            ])
        b.ifd("gps", [b.byte(0x0000, [2, 2, 0, 0]), b.rational(0x0002, [(37, 1), (53, 1), (0, 1)])])
        b.ifd("interop", [b.ascii(0x0001, "R98\0"), b.undefined(0x0002, Array("0100".utf8))])
        let seed = b.jpeg()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let edges: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE]
        var objects = 0
        for _ in 0..<1_000 {
            var file = seed
            for _ in 0..<(1 + next() % 6) {
                let at = ExifBlob.tiffStart() + next() % (seed.count - ExifBlob.tiffStart())
                file[at] = next() % 2 == 0 ? edges[next() % edges.count] : UInt8(next() % 256)
            }
            if next() % 10 == 0 { file.removeLast(next() % (file.count - ExifBlob.tiffStart())) }
            let p = ExifReader.read(bytes: file)
            if !p.object.isEmpty { objects += 1 }
        }
        #expect(objects > 0)
    }
}

extension ExifHostileTests {
    @Test("a count beyond JavaScript's largest array makes node-exif throw: exif is {}", arguments: orders)
    func countBeyondArrayLimit(bigEndian: Bool) {
        var b = ExifBlob(bigEndian: bigEndian)
        b.ifd("0", [b.ascii(0x010F, "C\0"), b.raw(0x0110, type: 1, count: 1_073_873_152, field: 8)])
        let p = ExifReader.read(bytes: b.jpeg())
        #expect(p.object.isEmpty)
        #expect(!p.diagnostics.isEmpty)
        // Unknown to node-exif, the same entry is never read and changes nothing.
        var c = ExifBlob(bigEndian: bigEndian)
        c.ifd("0", [c.ascii(0x010F, "C\0"), c.raw(0x9999, type: 1, count: 1_073_873_152, field: 8)])
        #expect(ExifObjectTests.group(ExifReader.read(bytes: c.jpeg()), "image") == #"{"Make":"C"}"#)
    }
}
