/// Upper-case hexadecimal for messages, zero-padded to `digits`: `hex(0xE1)` is "E1".
func hex<T: BinaryInteger>(_ value: T, digits: Int = 2) -> String {
    let s = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// Bytes as hexadecimal, two digits each, without separators: `hexDigits([0xAB, 1])` is "ab01".
package func hexDigits(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
    let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// An EXIF tag number in four digits, "????" when the file does not give one.
func hex4(_ value: Int?) -> String {
    value.map { hex($0, digits: 4) } ?? "????"
}
