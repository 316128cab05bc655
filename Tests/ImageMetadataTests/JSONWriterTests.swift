import Testing
@testable import ImageMetadata

/// SPEC §1: the writer must print exactly what JavaScript's `JSON.stringify` prints.
/// Expected strings are what Node 20 prints for the same values.
struct JSONWriterTests {
    @Test(arguments: [
        (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (Double.leastNonzeroMagnitude, "5e-324"),
        (-0.0, "0"),
        (72.0, "72"),
        (-5.0, "-5"),
        (0.000001, "0.000001"),
        (0.0000012345, "0.0000012345"),
        (1.0 / 3.0, "0.3333333333333333"),
        (0.00021701388888888888, "0.00021701388888888888"),
        (123456789012345680000.0, "123456789012345680000"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (4294967295.0, "4294967295"),
        (9007199254740993.0, "9007199254740992"),
        (1e16, "10000000000000000"),
        (2.5e-5, "0.000025"),
        (-1.5e-9, "-1.5e-9"),
        (12.170018281535649, "12.170018281535649"),
        (4438.356164383562, "4438.356164383562"),
        (1e20, "100000000000000000000"),
        (1.5e300, "1.5e+300"),
    ])
    func numbers(value: Double, expected: String) {
        #expect(JSONWriter.number(value) == expected)
    }

    @Test func nonFiniteNumbersAreNull() {
        #expect(JSONWriter.number(.nan) == "null")
        #expect(JSONWriter.number(.infinity) == "null")
        #expect(JSONWriter.number(-.infinity) == "null")
    }

    @Test func controlCharactersAreEscapedWithLowercaseHex() {
        var expected = "\""
        let short: [UInt32: String] = [8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"]
        var input = ""
        for v in UInt32(0)...0x1F {
            input.unicodeScalars.append(Unicode.Scalar(v)!)
            if let s = short[v] {
                expected += s
            } else {
                let h = String(v, radix: 16)
                expected += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            }
        }
        expected += "\""
        #expect(JSONWriter.compact(.string(input)) == expected)
        #expect(JSONWriter.compact(.string("\u{1f}")) == "\"\\u001f\"")
    }

    @Test func onlyQuoteAndBackslashAreEscapedBesideControls() {
        #expect(JSONWriter.compact(.string("a\"b\\c/d")) == "\"a\\\"b\\\\c/d\"")
        #expect(JSONWriter.compact(.string("\u{2028}\u{2029}\u{7F}")) == "\"\u{2028}\u{2029}\u{7F}\"")
        #expect(JSONWriter.compact(.string("Café ☃ 😀 \u{FFFD}")) == "\"Café ☃ 😀 \u{FFFD}\"")
    }

    @Test func objectsKeepInsertionOrderAndFirstPosition() {
        var o = JSONObject()
        o["b"] = 1
        o["a"] = [1, 2.5, nil, true]
        o["b"] = "again"  // keeps its first position, takes the new value
        o["c"] = .object(JSONObject())
        o["d"] = .array([])
        #expect(JSONWriter.compact(.object(o)) == #"{"b":"again","a":[1,2.5,null,true],"c":{},"d":[]}"#)
    }

    @Test func prettyIndentsLikeStringifyWithTwoSpaces() {
        let o = JSONObject([("a", 1), ("b", [1, 2]), ("c", .object(JSONObject())), ("d", .array([]))])
        let expected = """
            {
              "a": 1,
              "b": [
                1,
                2
              ],
              "c": {},
              "d": []
            }
            """
        #expect(JSONWriter.pretty(.object(o)) == expected)
    }
}
