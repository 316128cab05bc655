/// Serialises `JSONValue` exactly as JavaScript's `JSON.stringify` does (SPEC §1, imagekit-spec §3).
public enum JSONWriter {
    /// Compact form, byte for byte what `JSON.stringify(value)` prints.
    public static func compact(_ value: JSONValue) -> String {
        String(decoding: compactBytes(value), as: UTF8.self)
    }

    /// The compact form as UTF-8 bytes.
    package static func compactBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out, indent: nil, depth: 0)
        return out
    }

    /// Indented form for people (`JSON.stringify(value, null, 2)`).
    public static func pretty(_ value: JSONValue) -> String {
        String(decoding: prettyBytes(value), as: UTF8.self)
    }

    /// The indented form as UTF-8 bytes.
    package static func prettyBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, indent: 2, depth: 0)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?, depth: Int) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .number(let d): out += number(d).utf8
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            writeContainer(open: "[", close: "]", items, into: &out, indent: indent, depth: depth) { item, out in
                write(item, into: &out, indent: indent, depth: depth + 1)
            }
        case .object(let object):
            writeContainer(open: "{", close: "}", object.pairs, into: &out, indent: indent, depth: depth) { pair, out in
                writeString(pair.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                write(pair.value, into: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private static func writeContainer<T>(
        open: Unicode.Scalar, close: Unicode.Scalar, _ items: [T], into out: inout [UInt8], indent: Int?, depth: Int,
        element: (T, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: open))
        if items.isEmpty { out.append(UInt8(ascii: close)); return }
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if let indent { newline(&out, spaces: indent * (depth + 1)) }
            element(item, &out)
        }
        if let indent { newline(&out, spaces: indent * depth) }
        out.append(UInt8(ascii: close))
    }

    private static func newline(_ out: inout [UInt8], spaces: Int) {
        out.append(0x0A)
        out += repeatElement(UInt8(ascii: " "), count: spaces)
    }

    /// Escapes only `"`, `\` and U+0000–U+001F; everything else is written raw as UTF-8
    /// (imagekit-spec §3). Every byte of a multi-byte UTF-8 sequence is ≥ 0x80, so the bytes can
    /// be scanned one at a time.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        var copy = s
        copy.withUTF8 { bytes in
            // Written into uninitialised room for the worst case (every byte `\u00XX`), then
            // appended: MakerNotes can be kilobytes of mostly control bytes.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6 * bytes.count + 2) { buffer in
                let q = buffer.baseAddress!
                var o = 0
                func put(_ byte: UInt8) {
                    q[o] = byte
                    o += 1
                }
                put(UInt8(ascii: "\""))
                for b in bytes {
                    if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                        put(b)
                        continue
                    }
                    put(UInt8(ascii: "\\"))
                    switch b {
                    case 0x08: put(UInt8(ascii: "b"))
                    case 0x09: put(UInt8(ascii: "t"))
                    case 0x0A: put(UInt8(ascii: "n"))
                    case 0x0C: put(UInt8(ascii: "f"))
                    case 0x0D: put(UInt8(ascii: "r"))
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(b)
                    default:
                        put(UInt8(ascii: "u"))
                        put(UInt8(ascii: "0"))
                        put(UInt8(ascii: "0"))
                        put(b < 0x10 ? UInt8(ascii: "0") : UInt8(ascii: "1"))
                        let low = b & 0x0F
                        put(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
                    }
                }
                put(UInt8(ascii: "\""))
                out.append(contentsOf: UnsafeBufferPointer(start: q, count: o))
            }
        }
    }

    /// ECMAScript `Number::toString`: shortest round-trip digits, fixed notation for
    /// 1e-7 < |x| < 1e21, otherwise `d.ddde±n`; NaN and infinities become `null`.
    package static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return "0" }
        if d.magnitude < 9.007_199_254_740_992e15, d == d.rounded() { return String(Int64(d)) }
        let (digits, exponent) = shortestDigits(d.magnitude)
        let sign = d < 0 ? "-" : ""
        let k = digits.count
        let n = exponent  // value = 0.digits × 10^n
        if k <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let cut = digits.index(digits.startIndex, offsetBy: n)
            return sign + digits[..<cut] + "." + digits[cut...]
        }
        if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let mantissa = k == 1 ? digits : String(digits.first!) + "." + digits.dropFirst()
        return sign + mantissa + "e" + (e >= 0 ? "+" : "-") + String(e.magnitude)
    }

    /// The shortest round-trip decimal digits of a positive finite double (from Swift's own
    /// shortest-representation `description`) and the exponent n with value = 0.d1d2… × 10^n.
    private static func shortestDigits(_ d: Double) -> (String, Int) {
        let text = d.description  // e.g. "72.5", "1e-07", "1.2345e+21", "0.001"
        var mantissa = Substring(text)
        var exp10 = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exp10 = Int(text[text.index(after: e)...])!
        }
        var digits = ""
        var pointPosition: Int? = nil
        for ch in mantissa {
            if ch == "." { pointPosition = digits.count } else { digits.append(ch) }
        }
        var n = (pointPosition ?? digits.count) + exp10
        // Strip leading zeros (each one moves the point) and trailing zeros.
        while digits.first == "0" { digits.removeFirst(); n -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (digits, n)
    }
}
