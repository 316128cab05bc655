/// A streaming base64 decoder (RFC 4648, standard and URL-safe alphabets; whitespace skipped):
/// bytes go in chunk by chunk, so a large base64 upload never sits whole in memory.
struct Base64Decoder {
    private var quad: UInt32 = 0
    private var filled = 0
    private var padding = 0
    private(set) var failed = false

    /// Decodes `input`, appending the bytes to `output`.
    mutating func feed(_ input: some Sequence<UInt8>, into output: inout [UInt8]) {
        for byte in input where !failed {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): padding += 1; continue
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            default: failed = true; return
            }
            if padding > 0 { failed = true; return }  // data after '='
            quad = quad << 6 | value
            filled += 1
            if filled == 4 {
                output += [UInt8(truncatingIfNeeded: quad >> 16), UInt8(truncatingIfNeeded: quad >> 8), UInt8(truncatingIfNeeded: quad)]
                quad = 0
                filled = 0
            }
        }
    }

    /// Flushes a final partial group; false when the input was not valid base64.
    mutating func finish(into output: inout [UInt8]) -> Bool {
        switch filled {
        case 0: break
        case 2: output.append(UInt8(truncatingIfNeeded: quad >> 4))
        case 3: output += [UInt8(truncatingIfNeeded: quad >> 10), UInt8(truncatingIfNeeded: quad >> 2)]
        default: failed = true
        }
        filled = 0
        return !failed && padding <= 2
    }

    /// A whole short string (an Authorization header); nil when invalid.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var decoder = Base64Decoder()
        var out: [UInt8] = []
        decoder.feed(text.utf8, into: &out)
        return decoder.finish(into: &out) ? out : nil
    }
}
