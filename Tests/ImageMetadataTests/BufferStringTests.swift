import Testing
@testable import ImageMetadata

/// `NodeValue.utf8String`, Node's `buffer.toString()` for UNDEFINED entries (SPEC §3), against the
/// standard library's repairing decoder, which follows the same maximal-subpart rule.
struct BufferStringTests {
    @Test func edgeCasesMatchTheStandardLibrary() {
        let cases: [[UInt8]] = [
            [], Array("plain".utf8), Array("Café ☃ 😀".utf8),
            [0x80], [0xBF, 0x41], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x41], [0xDF, 0xBF],
            [0xE0, 0x80, 0x80], [0xE0, 0xA0], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
            [0xEF, 0xBF, 0xBD], [0xF0, 0x80], [0xF0, 0x90, 0x80], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF5, 0x80], [0xFF, 0xFE], [0xE1, 0x80, 0xE1, 0x80, 0x80],
        ]
        for bytes in cases {
            #expect(Array(NodeValue.utf8String(bytes).utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
        }
    }

    /// Random bytes weighted towards lead and continuation bytes, from a fixed LCG.
    @Test func randomBytesMatchTheStandardLibrary() {
        var state: UInt64 = 2026
        func next() -> Int {
            state = (1_103_515_245 &* state &+ 12345) & 0x7FFF_FFFF
            return Int(state >> 16)
        }
        let interesting: [UInt8] = [0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5000 {
            let bytes = (0..<(next() % 24)).map { _ in next() % 3 == 0 ? UInt8(next() & 0xFF) : interesting[next() % interesting.count] }
            #expect(Array(NodeValue.utf8String(bytes).utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
        }
    }

    @Test func escapesBetweenPlainRunsKeepTheRuns() {
        #expect(JSONWriter.compact(.string("ab\ncd\"ef\\gh\u{1}ij")) == "\"ab\\ncd\\\"ef\\\\gh\\u0001ij\"")
        #expect(JSONWriter.compact(.string("\n")) == "\"\\n\"")
        #expect(JSONWriter.compact(.string("")) == "\"\"")
    }
}
