/// Reads little-endian fields one after the other from a `ByteSource`, the way ImageMagick's
/// `ReadBlobLSBLong` does: a field that runs past the end of the data reads as 0, and `ended`
/// records that it happened.
struct LittleEndianCursor {
    let source: ByteSource
    var offset: Int
    private(set) var ended = false

    init(_ source: ByteSource, at offset: Int = 0) {
        self.source = source
        self.offset = offset
    }

    mutating func u8() -> Int { field(1) }
    mutating func u16() -> Int { field(2) }
    mutating func u32() -> Int { field(4) }
    mutating func i16() -> Int { Int(Int16(truncatingIfNeeded: field(2))) }
    mutating func i32() -> Int { Int(Int32(truncatingIfNeeded: field(4))) }

    private mutating func field(_ size: Int) -> Int {
        defer { offset += size }
        guard let bytes = source.exactly(at: offset, length: size) else {
            ended = true
            return 0
        }
        return bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
