import Testing
import PerceptualHash

struct PHashHexTests {
    @Test("1–16 hex digits, case-insensitive, left-padded to 16", arguments: [
        ("0", UInt64(0)),
        ("f", UInt64(15)),
        ("F", UInt64(15)),
        ("00dc4e71165ebed3", UInt64(0x00dc_4e71_165e_bed3)),
        ("DC4E71165EBED3", UInt64(0x00dc_4e71_165e_bed3)),
        ("ffffffffffffffff", UInt64.max),
        ("8000000000000000", UInt64(1) << 63),
        ("aBcD", UInt64(0xabcd)),
    ])
    func parses(hex: String, value: UInt64) {
        #expect(PHash(hex: hex)?.value == value)
    }

    @Test("anything else is rejected", arguments: [
        "", "00000000000000000", "1ffffffffffffffff", "0x1f", "+1", "-1", " 1", "1 ", "g", "12z4",
        "١٢", "ｆ", "1\n", "é",
    ])
    func rejects(hex: String) {
        #expect(PHash(hex: hex) == nil)
    }

    @Test("description is 16 lowercase digits and round-trips", arguments: [
        UInt64(0), 1, 0xabc, 0x00dc_4e71_165e_bed3, UInt64.max, 0xF5D2_226C_D9D3_2B16,
    ])
    func description(value: UInt64) {
        let text = PHash(value).description
        #expect(text.count == 16)
        #expect(text == text.lowercased())
        #expect(PHash(hex: text) == PHash(value))
        #expect(UInt64(text, radix: 16) == value)
    }

    @Test("distance is the popcount of the XOR")
    func distanceBasics() {
        let a = PHash(0x00dc_4e71_165e_bed3)
        #expect(a.distance(to: a) == 0)
        #expect(a.distance(to: PHash(~a.value)) == 64)
        #expect(PHash(0).distance(to: PHash(0b1011)) == 3)
        let b = PHash(0xe753_22d3_5eaa_2629)
        #expect(a.distance(to: b) == b.distance(to: a))
    }
}

/// ImageKit SDK distance vectors and messages (SPEC §4, phash.md §4).
struct PHashDistanceTests {
    @Test("SDK distance vectors", arguments: [
        ("f06830ca9f1e3e90", "f06830ca9f1e3e90", 0),
        ("2d5ad3936d2e015b", "2d6ed293db36a4fb", 17),
        ("a4a65595ac94518b", "7838873e791f8400", 37),
        ("33699c96619cc69e", "968e978414fe04ea", 30),
        ("63433b3ccf8e1ebe", "f5d2226cd9d32b16", 27),
        ("63433b3ccf8e1ebe", "61433b3fcf8f9faf", 8),
        // The Node SDK's test passes the number 2222222222222222, which it stringifies first.
        ("f06830ca9f1e3e90", String(2_222_222_222_222_222), 30),
    ])
    func sdkVectors(a: String, b: String, expected: Int) throws {
        #expect(try PHash.distance(a, b) == expected)
        #expect(try PHash.distance(b, a) == expected)
        #expect(try PHash.distance(a.uppercased(), b) == expected)
    }

    @Test("shorter hashes are left-padded before comparing")
    func padding() throws {
        #expect(try PHash.distance("1", "0000000000000001") == 0)
        #expect(try PHash.distance("f", "0") == 4)
    }

    @Test("a missing value, checked before validity", arguments: [
        (String?.none, String?.some("0")), ("0", nil), (nil, nil), ("", "0"), ("0", ""), ("", "zz"), (nil, "zz"),
    ])
    func missing(a: String?, b: String?) {
        #expect(throws: PHashDistanceError.missingValue) { try PHash.distance(a, b) }
    }

    @Test("an invalid value", arguments: [
        ("zz", "0"), ("0", "0x12"), ("12345678901234567", "1"), (" 1", "1"),
    ])
    func invalid(a: String, b: String) {
        #expect(throws: PHashDistanceError.invalidValue) { try PHash.distance(a, b) }
    }

    @Test("messages are ImageKit's SDK messages")
    func messages() {
        #expect(PHashDistanceError.missingValue.description == "Missing pHash value: Please pass two pHash values")
        #expect(PHashDistanceError.invalidValue.description
            == "Invalid pHash value: Both pHash strings must be valid hexadecimal numbers")
    }
}
