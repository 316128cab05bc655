/// Upper-case hexadecimal for messages, zero-padded to `digits`: `hex(0xE1)` is "E1".
func hex<T: BinaryInteger>(_ value: T, digits: Int = 2) -> String {
    let s = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// An EXIF tag number in four digits, "????" when the file does not give one.
func hex4(_ value: Int?) -> String {
    value.map { hex($0, digits: 4) } ?? "????"
}
