/// File paths are bytes on Linux, not text. ikmeta carries a path in a `String` without losing a
/// byte: valid UTF-8 stays as it is, and each byte that is not part of valid UTF-8 becomes one
/// scalar U+10FF00 + byte (a private-use code point). A genuine scalar from that range has each of
/// its bytes escaped the same way, so every byte string maps to one `String` and back.
/// `bytes` and `withCString` give the original bytes for system calls; `display` and `jsonText`
/// spell the escaped bytes as `\xHH` for people.
package enum PathBytes {
    static let escapeBase: UInt32 = 0x10FF00

    /// The path for these bytes (from argv, a directory entry or a list line).
    package static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let b = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < b.count {
            let length = validSequenceLength(b, at: i)
            if length > 0, let scalar = decode(b[i..<(i + length)]), scalar.value < escapeBase {
                scalars.append(scalar)
                i += length
            } else {
                for byte in b[i..<(i + max(length, 1))] { scalars.append(Unicode.Scalar(escapeBase + UInt32(byte))!) }
                i += max(length, 1)
            }
        }
        return String(scalars)
    }

    /// The original bytes of a path.
    package static func bytes(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if scalar.value >= escapeBase {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out += Array(String(scalar).utf8)
            }
        }
        return out
    }

    /// Calls `body` with the path's original bytes as a C string.
    package static func withCString<T, E: Error>(_ path: String, _ body: (UnsafePointer<CChar>) throws(E) -> T) throws(E) -> T {
        var raw = bytes(path).map { CChar(bitPattern: $0) }
        raw.append(0)
        return try raw.withUnsafeBufferPointer { (p) throws(E) -> T in try body(p.baseAddress!) }
    }

    /// The path for a terminal: escaped bytes, control characters (ESC, newline, …) and C1
    /// controls as `\xHH`, so that a file name cannot move the cursor or forge a line.
    package static func display(_ text: String, keepNewlines: Bool = false) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= escapeBase {
                out += hexEscape(UInt8(v - escapeBase))
            } else if (v < 0x20 && !(keepNewlines && (v == 0x0A || v == 0x09))) || (0x7F...0x9F).contains(v) {
                for byte in String(scalar).utf8 { out += hexEscape(byte) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The path as JSON text: escaped bytes as `\xHH`; the JSON writer escapes control characters.
    package static func jsonText(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0.value >= escapeBase }) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            if scalar.value >= escapeBase { out += hexEscape(UInt8(scalar.value - escapeBase)) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private static func hexEscape(_ byte: UInt8) -> String {
        "\\x" + hexDigits(CollectionOfOne(byte), uppercase: true)
    }

    /// Length of the well-formed UTF-8 sequence at `i` (Unicode Table 3-7), or 0.
    private static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        guard i + length <= b.count, second.contains(b[i + 1]) else { return 0 }
        for k in 2..<length where !(0x80...0xBF).contains(b[i + k]) { return 0 }
        return length
    }

    private static func decode(_ s: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var iterator = s.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }
}
