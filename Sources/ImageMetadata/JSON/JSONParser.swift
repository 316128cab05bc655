/// Where and why a JSON text is not valid RFC 8259 JSON.
package struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset of the problem from the start of the text, 0-based.
    package var offset: Int
    package var message: String

    package init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    package var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// A strict RFC 8259 parser into `JSONValue`, read the way JavaScript's `JSON.parse` reads it:
/// every number a double, a repeated key keeps its first position and takes the later value.
/// Rejected: comments, trailing commas, single quotes, leading zeros, `+`/`.`-led numbers, NaN and
/// Infinity literals, control characters inside strings, invalid UTF-8, a byte order mark, and
/// anything after the value. Lone UTF-16 surrogates in `\u` escapes (which a Swift `String`
/// cannot hold) become U+FFFD.
package struct JSONParser {
    /// Deepest nesting of arrays and objects accepted, so that hostile input cannot exhaust the stack.
    package static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    package static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw JSONParseError(offset: 0, message: "a UTF-8 byte order mark is not allowed before the value")
        }
        try parser.checkUTF8()
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("unexpected \(parser.describeByte()) after the end of the value")
        }
        return value
    }

    // MARK: values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describeByte()), expected a value")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // {
        var object = JSONObject()
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            guard peek == UInt8(ascii: "\"") else {
                throw error(index < bytes.count
                    ? "unexpected \(describeByte()), expected a string key"
                    : "unexpected end of input, expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw error(expected: "':' after an object key") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default:
                throw error(expected: "',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            default:
                throw error(expected: "',' or ']' in an array")
            }
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw error("nesting deeper than \(JSONParser.maximumDepth) arrays and objects")
        }
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        let start = index
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else {
                throw JSONParseError(offset: start, message: "invalid literal, expected '\(word)'")
            }
            index += 1
        }
        if let next = peek, isIdentifierByte(next) {
            throw JSONParseError(offset: start, message: "invalid literal, expected '\(word)'")
        }
    }

    // MARK: numbers

    /// number = [ "-" ] int [ frac ] [ exp ] (RFC 8259 §6); converted as JavaScript does,
    /// to the nearest double (out-of-range magnitudes become ±Infinity or 0, as in `JSON.parse`).
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        guard let first = peek, isDigit(first) else {
            throw error(index < bytes.count
                ? "unexpected \(describeByte()) in a number, expected a digit after '-'"
                : "unexpected end of input in a number, expected a digit")
        }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek, isDigit(next) { throw error("a number cannot have a leading zero") }
        } else {
            skipDigits()
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard let next = peek, isDigit(next) else { throw error(expected: "a digit after the decimal point") }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard let next = peek, isDigit(next) else { throw error(expected: "a digit in the exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text) else {
            throw JSONParseError(offset: start, message: "the number \(text) cannot be read")
        }
        return value
    }

    private mutating func skipDigits() {
        while let byte = peek, isDigit(byte) { index += 1 }
    }

    // MARK: strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let open = index
        index += 1  // "
        var out: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else {
                throw JSONParseError(offset: open, message: "unterminated string")
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                out.append(contentsOf: bytes[runStart..<index])
                try parseEscape(into: &out)
                runStart = index
            case 0x00..<0x20:
                throw error("control character U+\(hex(byte, digits: 4)) must be escaped inside a string")
            default:
                index += 1
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1  // backslash
        guard let letter = peek else { throw JSONParseError(offset: start, message: "unterminated escape sequence") }
        index += 1
        switch letter {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hexQuad(escapeStart: start))
            if (0xD800..<0xDC00).contains(scalar), bytes.count >= index + 6,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            {
                let save = index
                index += 2
                let low = UInt32(try hexQuad(escapeStart: save))
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = save  // the second escape stands alone
                }
            }
            let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw JSONParseError(offset: start, message: "invalid escape sequence '\\\(printable(letter))'")
        }
    }

    private mutating func hexQuad(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = hexValue(byte) else {
                throw JSONParseError(offset: escapeStart, message: "'\\u' must be followed by four hex digits")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: UTF-8 and helpers

    /// RFC 8259 §8.1: the text must be UTF-8. Checked once up front, so that the error names the byte.
    private func checkUTF8() throws(JSONParseError) {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: throw JSONParseError(offset: i, message: "invalid UTF-8 byte 0x\(hex(b))")
            }
            guard i + length <= bytes.count else {
                throw JSONParseError(offset: i, message: "truncated UTF-8 sequence")
            }
            for k in 1..<length {
                let c = bytes[i + k]
                let ok = k == 1 ? (low...high).contains(c) : (0x80...0xBF).contains(c)
                if !ok { throw JSONParseError(offset: i, message: "invalid UTF-8 sequence starting with 0x\(hex(b))") }
            }
            i += length
        }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(offset: index, message: message)
    }

    private func error(expected: String) -> JSONParseError {
        index < bytes.count
            ? error("unexpected \(describeByte()), expected \(expected)")
            : error("unexpected end of input, expected \(expected)")
    }

    private func describeByte() -> String {
        guard index < bytes.count else { return "end of input" }
        return "'\(printable(bytes[index]))'"
    }

    private func printable(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + hex(byte)
    }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "_")
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
