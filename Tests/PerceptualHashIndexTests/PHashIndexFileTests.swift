import PerceptualHash
import Testing

@testable import PerceptualHashIndex

@Suite struct PHashIndexFileTests {
    static let entries = [
        IndexEntry(path: "a.jpg", hash: PHash(0x6343_3b3c_cf8e_1ebe), width: 640, height: 480, size: 51_234),
        IndexEntry(path: "dir/ünïcode b.png", hash: PHash(0x6143_3b3f_cf8f_9faf), width: 1, height: 4_000_000_000, size: 1 << 40),
        IndexEntry(path: "", hash: PHash(0)),
        IndexEntry(path: "c.jpg", hash: PHash(.max), width: 3, height: 2, size: 9),
    ]

    @Test func roundTripsEveryField() throws {
        let index = try PHashIndex(entries: Self.entries)
        #expect(index.entries == Self.entries)
        let again = try PHashIndex(bytes: index.bytes)
        #expect(again.entries == Self.entries)
        #expect(again.matches(of: PHash(0x6343_3b3c_cf8e_1ebe), maxDistance: 8).map { [$0.entry, $0.distance] } == [[0, 0], [1, 8]])
    }

    @Test func anEmptyIndexLoads() throws {
        let index = try PHashIndex(bytes: try PHashIndex.encode([]))
        #expect(index.count == 0)
        #expect(index.matches(of: PHash(1), maxDistance: 64).isEmpty)
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = try PHashIndex.encode(Self.entries)
        for length in 0..<bytes.count {
            #expect(throws: IndexFileError.self) { try PHashIndex(bytes: Array(bytes[0..<length])) }
        }
        #expect(throws: IndexFileError.self) { try PHashIndex(bytes: bytes + [0]) }
    }

    @Test func everyFlippedBitIsRefused() throws {
        let bytes = try PHashIndex.encode(Self.entries)
        for offset in 0..<bytes.count {
            for bit in [0, 3, 7] {
                var damaged = bytes
                damaged[offset] ^= 1 << UInt8(bit)
                #expect(throws: IndexFileError.self, "byte \(offset) bit \(bit)") { try PHashIndex(bytes: damaged) }
            }
        }
    }

    @Test func errorsSayWhatIsWrong() throws {
        var bytes = try PHashIndex.encode(Self.entries)
        #expect(throws: IndexFileError.notAnIndex) { try PHashIndex(bytes: Array("{\"file\":1}".utf8)) }
        #expect(throws: IndexFileError.checksumMismatch) {
            var damaged = bytes
            damaged[damaged.count - 1] ^= 0x20
            _ = try PHashIndex(bytes: damaged)
        }
        bytes[8] = 2
        #expect(throws: IndexFileError.unsupportedVersion(2)) { try PHashIndex(bytes: bytes) }
        #expect(IndexFileError.wrongLength(expected: "x", actual: 3).description.contains("truncated"))
    }

    /// Found by the fuzzer: a path that is not UTF-8 (with a correct checksum) would load and
    /// print with replacement characters, a path no file has.
    @Test func aPathThatIsNotUTF8IsRefused() throws {
        var bytes = try PHashIndex.encode([IndexEntry(path: "abcde", hash: PHash(1))])
        bytes.replaceSubrange((bytes.count - 5)..., with: [0x9F, 0xD1, 0x95, 0x8F, 0x98])
        repairChecksum(&bytes)
        #expect(throws: IndexFileError.inconsistent("path 0 is not UTF-8")) { try PHashIndex(bytes: bytes) }
    }

    /// Found by the fuzzer: a size field beyond Int.max loaded as a negative size.
    @Test func aSizeBeyondIntMaxIsRefused() throws {
        var bytes = try PHashIndex.encode([IndexEntry(path: "a.jpg", hash: PHash(1))])
        bytes[PHashIndex.headerSize + 8 + 15] = 0xFA  // the top byte of the size field
        repairChecksum(&bytes)
        #expect(throws: IndexFileError.inconsistent("entry 0 has a size beyond 2^63 - 1 bytes")) { try PHashIndex(bytes: bytes) }
    }

    @Test func aHeaderPromisingHugeCountsIsRefusedWithoutAllocating() throws {
        var bytes = try PHashIndex.encode(Self.entries)
        for k in 16..<32 { bytes[k] = 0xFF }
        #expect(throws: IndexFileError.self) { try PHashIndex(bytes: bytes) }
    }

    /// Writes the checksum of the changed contents into the header, as a deliberate writer would.
    func repairChecksum(_ bytes: inout [UInt8]) {
        let sum = PHashIndex.checksum(bytes, from: PHashIndex.headerSize)
        for k in 0..<8 { bytes[32 + k] = UInt8(truncatingIfNeeded: sum >> UInt64(8 * k)) }
    }
}
