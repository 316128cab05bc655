import Testing
@testable import ImageMetadata

/// node-exif's marker walk begun by the JPEG segment reader (`JPEGHeader.nodeExifWalk`) must find
/// what the walk from byte 2 finds (SPEC §3), whatever lies between the segments.
struct NodeExifWalkTests {
    static let exifAPP1 = ContainerTests.segment(0xE1, Array("Exif".utf8) + [0, 0] + Array("II".utf8) + [0x2A, 0, 8, 0, 0, 0])
    static let xmpAPP1 = ContainerTests.segment(0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0])
    static let frame = ContainerTests.sof(width: 8, height: 8)

    /// The outcome from the reader's starting point, after checking it equals the whole walk's.
    static func located(_ file: [UInt8]) throws -> (ExifLocator.Outcome, ExifLocator.Start) {
        let header = try JPEGSegmentReader.read(MemoryByteSource(file))
        let begun = ExifLocator.locate(NodeBuffer(MemoryByteSource(file)), from: header.nodeExifWalk)
        let whole = ExifLocator.locate(NodeBuffer(MemoryByteSource(file)))
        #expect(begun == whole, "\(file)")
        return (begun, header.nodeExifWalk)
    }

    @Test func anOrdinaryFileNeedsNoSecondWalk() throws {
        let jfif = ContainerTests.jfif(units: 1, x: 72, y: 72)
        let (outcome, start) = try Self.located([0xFF, 0xD8] + jfif + Self.exifAPP1 + Self.frame + ContainerTests.sos)
        #expect(outcome == .found(tiff: 2 + jfif.count + 10, bigEndian: false))
        #expect(start == .app1(payload: 2 + jfif.count + 4))
    }

    @Test func whereTheWalksPartTheLocatorGoesOn() throws {
        let cases: [[UInt8]] = [
            [0xFF, 0xD8, 0xFF] + Self.exifAPP1 + Self.frame + ContainerTests.sos,  // a fill byte
            [0xFF, 0xD8, 0xFF, 0xD0] + Self.exifAPP1 + Self.frame + ContainerTests.sos,  // a marker without length
            [0xFF, 0xD8, 0x00, 0x11] + Self.exifAPP1 + Self.frame + ContainerTests.sos,  // stray bytes
            [0xFF, 0xD8] + Self.xmpAPP1 + Self.exifAPP1 + Self.frame + ContainerTests.sos,  // the first APP1 is not Exif
            [0xFF, 0xD8] + Self.frame + ContainerTests.segment(0xDA, [0, 0]) + Self.exifAPP1,  // an APP1 after the scan
        ]
        var parted = 0
        for file in cases {
            let (_, start) = try Self.located(file)
            if case .walk = start { parted += 1 }
        }
        #expect(parted == 4)
    }

    /// Random layouts of segments, fill bytes, stray bytes, markers without length and cut ends.
    @Test func randomLayoutsGiveTheSameOutcome() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        var read = 0
        for _ in 0..<3000 {
            var file: [UInt8] = [0xFF, 0xD8]
            for _ in 0..<(1 + next(7)) {
                switch next(9) {
                case 0: file += Self.exifAPP1
                case 1: file += Self.xmpAPP1
                case 2: file += [0xFF]
                case 3: file += [0xFF, UInt8(0xD0 + next(8))]
                case 4: file += [UInt8(next(256))]
                case 5: file += ContainerTests.segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0xFF, 0x00, 0xFF, 0xE1, 0, 2]
                case 6: file += [0xFF, 0xD9]
                default: file += ContainerTests.segment(UInt8(0xE0 + next(16)), [UInt8](repeating: 0, count: next(5)))
                }
                if next(3) == 0 { file += Self.frame }
            }
            file += Self.exifAPP1
            if next(4) == 0 { file.removeLast(next(12)) }
            guard (try? JPEGSegmentReader.read(MemoryByteSource(file))) != nil else { continue }
            _ = try Self.located(file)
            read += 1
        }
        #expect(read > 1000)
    }
}
