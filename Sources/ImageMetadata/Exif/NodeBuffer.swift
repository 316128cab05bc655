/// The file as node-exif 0.6.0 reads it: one Node `Buffer` of the whole file, indexed by absolute
/// offsets, with its `getShort`/`getLong` helpers (imagekit-spec §2.3). A byte past the end is
/// JavaScript's `undefined`; the helpers' arithmetic then gives NaN or drops high bytes, and that
/// is what the `exif` object shows (`null`, `\u0000`), so the same arithmetic is reproduced here.
///
/// An offset is `Int?`: nil is a JavaScript NaN offset (an offset computed from a NaN count or
/// pointer), which reads nothing. Bytes are fetched in cached blocks, so scattered reads of IFD
/// tables in a large file cost a few `pread`s.
final class NodeBuffer {
    let source: ByteSource
    let count: Int
    private var blocks: [Int: [UInt8]] = [:]
    private static let blockShift = 14
    private static let maxCachedBlocks = 256

    init(_ source: ByteSource) {
        self.source = source
        self.count = source.count
    }

    /// `buffer[offset]`: nil (undefined) outside the file.
    func byte(_ offset: Int?) -> UInt8? {
        guard let offset, offset >= 0, offset < count else { return nil }
        let index = offset >> Self.blockShift
        if let block = blocks[index] { return byteIn(block, offset) }
        if blocks.count >= Self.maxCachedBlocks { blocks.removeAll(keepingCapacity: true) }
        let block = source.bytes(at: index << Self.blockShift, length: 1 << Self.blockShift)
        blocks[index] = block
        return byteIn(block, offset)
    }

    private func byteIn(_ block: [UInt8], _ offset: Int) -> UInt8? {
        let i = offset & ((1 << Self.blockShift) - 1)
        return i < block.count ? block[i] : nil
    }

    /// `buffer.slice(offset, offset + length)`: the bytes that exist, clamped to the file.
    /// A negative offset (only a negative pointer value gives one) reads nothing.
    func bytes(_ offset: Int?, _ length: Int) -> [UInt8] {
        guard let start = offset, length > 0, start >= 0, start < count else { return [] }
        let end = min(count, start + length)
        if end - start <= 64 {
            return (start..<end).map { byte($0)! }
        }
        return source.bytes(at: start, length: end - start)
    }

    func short(_ offset: Int?, bigEndian: Bool) -> Double {
        JSBytes.unsigned(JSBytes.ordered([byte(offset), byte(offset.map { $0 + 1 })], bigEndian: bigEndian))
    }

    func long(_ offset: Int?, bigEndian: Bool) -> Double {
        let raw = (0..<4).map { k in byte(offset.map { $0 + k }) }
        return JSBytes.unsigned(JSBytes.ordered(raw, bigEndian: bigEndian))
    }
}

/// node-exif's Buffer helpers on bytes that may be missing (nil = `undefined`).
enum JSBytes {
    /// Most significant byte first.
    static func ordered(_ bytes: [UInt8?], bigEndian: Bool) -> [UInt8?] {
        bigEndian ? bytes : bytes.reversed()
    }

    /// `((b0 << 8) + b1) << 8 … + bn` with JavaScript semantics: `undefined << 8` and `NaN << 8`
    /// are 0, `x + undefined` is NaN, shifts wrap to 32 bits.
    static func fold(_ bytes: [UInt8?]) -> Double {
        var value: Double = bytes[0].map(Double.init) ?? .nan
        for b in bytes.dropFirst() {
            let shifted = value.isNaN ? 0 : Int32(truncatingIfNeeded: Int64(value)) &<< 8
            value = b.map { Double(shifted) + Double($0) } ?? .nan
        }
        return value
    }

    /// `getShort` / `getLong`: negative results wrap into the unsigned range.
    static func unsigned(_ bytes: [UInt8?]) -> Double {
        let v = fold(bytes)
        return v < 0 ? v + (bytes.count == 2 ? 65536 : 4_294_967_296) : v
    }

    /// `getSignedShort` / `getSignedLong`.
    static func signed(_ bytes: [UInt8?]) -> Double {
        let v = fold(bytes)
        if bytes.count == 2 { return v > 32767 ? v - 65536 : v }
        return v > 2_147_483_647 ? v - 4_294_967_296 : v
    }

    /// A JavaScript number used as an offset or count: nil when NaN.
    static func integer(_ v: Double) -> Int? {
        v.isNaN ? nil : Int(v)
    }
}
