/// Serialises `JSONValue` exactly as JavaScript's `JSON.stringify` does (SPEC §1, imagekit-spec §3).
public enum JSONWriter {
    /// Compact form, byte for byte what `JSON.stringify(value)` prints.
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: nil, depth: 0)
        return out
    }

    /// Indented form for people (`JSON.stringify(value, null, 2)`).
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", depth: 0)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String, indent: String?, depth: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += number(d)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            writeContainer(open: "[", close: "]", items, into: &out, indent: indent, depth: depth) { item, out in
                write(item, into: &out, indent: indent, depth: depth + 1)
            }
        case .object(let object):
            writeContainer(open: "{", close: "}", object.pairs, into: &out, indent: indent, depth: depth) { pair, out in
                writeString(pair.key, into: &out)
                out += indent == nil ? ":" : ": "
                write(pair.value, into: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private static func writeContainer<T>(
        open: String, close: String, _ items: [T], into out: inout String, indent: String?, depth: Int,
        element: (T, inout String) -> Void
    ) {
        out += open
        if items.isEmpty { out += close; return }
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            if let indent { out += "\n" + String(repeating: indent, count: depth + 1) }
            element(item, &out)
        }
        if let indent { out += "\n" + String(repeating: indent, count: depth) }
        out += close
    }

    /// Escapes only `"`, `\` and U+0000–U+001F; everything else is written raw (imagekit-spec §3).
    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// ECMAScript `Number::toString`: shortest round-trip digits, fixed notation for
    /// 1e-7 < |x| < 1e21, otherwise `d.ddde±n`; NaN and infinities become `null`.
    public static func number(_ d: Double) -> String {
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
