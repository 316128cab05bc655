import Testing
@testable import ImageMetadata

struct JSONParserValueTests {
    @Test("scalars")
    func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse(" false\n") == .bool(false))
        #expect(try JSONParser.parse("\"a\"") == .string("a"))
    }

    @Test("numbers are doubles, read to the nearest double", arguments: [
        ("0", 0.0), ("-0", -0.0), ("72", 72), ("-12.5", -12.5), ("1e3", 1000), ("1E+3", 1000), ("25e-1", 2.5),
        ("0.1", 0.1), ("1.7976931348623157e308", Double.greatestFiniteMagnitude), ("5e-324", Double.leastNonzeroMagnitude),
        ("9007199254740993", 9_007_199_254_740_992), ("1e400", Double.infinity), ("-1e400", -Double.infinity),
        ("1e-400", 0),
    ])
    func numbers(text: String, value: Double) throws {
        let parsed = try JSONParser.parse(text)
        #expect(parsed == .number(value))
        if case .number(let d) = parsed { #expect(d.sign == value.sign) }
    }

    @Test("objects keep key order; a repeated key keeps its first position and takes the later value")
    func objects() throws {
        let parsed = try JSONParser.parse(#"{"b":1,"a":[true,null],"c":{},"b":2}"#)
        guard case .object(let o) = parsed else {
            Issue.record("not an object: \(parsed)")
            return
        }
        #expect(o.keys == ["b", "a", "c"])
        #expect(o["b"] == .number(2))
        #expect(o["a"] == .array([.bool(true), .null]))
        #expect(o["c"] == .object(JSONObject()))
    }

    @Test("whitespace is space, tab, line feed and carriage return")
    func whitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n[ 1 ,\t2 ]\r\n") == .array([1, 2]))
    }

    @Test("escapes", arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u4E2D""#, "Aé中"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\u0000""#, "\u{0}"),
        (#""\ud800""#, "\u{FFFD}"),
        (#""\udc00x""#, "\u{FFFD}x"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        ("\"é/中\"", "é/中"),
    ])
    func escapes(text: String, value: String) throws {
        #expect(try JSONParser.parse(text) == .string(value))
    }

    @Test("the writer's output parses back to the same value")
    func roundTrip() throws {
        let value: JSONValue = .object(JSONObject([
            ("height", 3936), ("density", 72), ("x", 0.30000000000000004), ("tiny", 1e-7), ("big", 1e21),
            ("s", "tab\there \"quoted\" \u{1} é/"), ("exif", .object(JSONObject([("image", .object(JSONObject())),
            ("gps", .array([1, 2.5, .null, false]))]))),
        ]))
        #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
    }

    @Test("nesting up to the limit is accepted")
    func deepButAllowed() throws {
        let n = JSONParser.maximumDepth
        let text = String(repeating: "[", count: n) + String(repeating: "]", count: n)
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }
}

struct JSONParserErrorTests {
    /// (text, byte offset of the error, a phrase the message must contain)
    @Test("invalid texts name the byte offset and the problem", arguments: [
        ("", 0, "end of input"),
        ("   ", 3, "end of input"),
        ("{", 1, "string key"),
        ("{\"a\" 1}", 5, "':'"),
        ("{\"a\":1,}", 7, "string key"),
        ("[1,]", 3, "expected a value"),
        ("[1 2]", 3, "',' or ']'"),
        ("{\"a\":1 \"b\":2}", 7, "',' or '}'"),
        ("{'a':1}", 1, "string key"),
        ("[01]", 2, "leading zero"),
        ("[-]", 2, "digit"),
        ("[1.]", 3, "decimal point"),
        ("[1e]", 3, "exponent"),
        ("[.5]", 1, "expected a value"),
        ("[+1]", 1, "expected a value"),
        ("NaN", 0, "expected a value"),
        ("[Infinity]", 1, "expected a value"),
        ("tru", 0, "'true'"),
        ("nulll", 0, "'null'"),
        ("\"abc", 0, "unterminated string"),
        ("\"a\tb\"", 2, "control character U+0009"),
        ("\"\\x\"", 1, "invalid escape"),
        ("\"\\u12g4\"", 1, "four hex digits"),
        ("{} {}", 3, "after the end of the value"),
        ("[1] x", 4, "after the end of the value"),
        ("/* c */ 1", 0, "expected a value"),
        ("[1] // c", 4, "after the end of the value"),
    ])
    func invalid(text: String, offset: Int, phrase: String) {
        do {
            let value = try JSONParser.parse(text)
            Issue.record("parsed \(value) from \(text.debugDescription)")
        } catch {
            #expect(error.offset == offset, "\(text.debugDescription): \(error)")
            #expect(error.message.contains(phrase), "\(text.debugDescription): \(error)")
            #expect(error.description.hasPrefix("invalid JSON at byte \(offset): "))
        }
    }

    @Test("bytes that are not UTF-8 are rejected at their offset", arguments: [
        ([0x22, 0xFF, 0x22] as [UInt8], 1),
        ([0x22, 0x61, 0xC3, 0x22] as [UInt8], 2),  // truncated two-byte sequence
        ([0x22, 0xED, 0xA0, 0x80, 0x22] as [UInt8], 1),  // an encoded surrogate
        ([0x22, 0xC0, 0xAF, 0x22] as [UInt8], 1),  // overlong
        ([0x5B, 0x31, 0x5D, 0xE2, 0x82] as [UInt8], 3),  // truncated at the end
    ])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        do { _ = try JSONParser.parse(bytes) } catch { #expect(error.offset == offset) }
    }

    @Test("a byte order mark is rejected")
    func byteOrderMark() {
        #expect(throws: JSONParseError(offset: 0, message: "a UTF-8 byte order mark is not allowed before the value")) {
            try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x31])
        }
    }

    @Test("nesting past the limit is an error, not a crash")
    func tooDeep() {
        let n = JSONParser.maximumDepth + 1
        let text = String(repeating: "[", count: n) + String(repeating: "]", count: n)
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(n) levels")
        } catch {
            #expect(error.offset == JSONParser.maximumDepth)
            #expect(error.message.contains("nesting"))
        }
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(hostile) }
    }
}
