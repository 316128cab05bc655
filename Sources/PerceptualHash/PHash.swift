/// A 64-bit perceptual hash (SPEC §4). The first coefficient of a hash is its most significant bit.
public struct PHash: Hashable, Sendable, CustomStringConvertible {
    /// The 64 bits; the first DCT coefficient is the most significant bit.
    public let value: UInt64

    /// A hash from its 64 bits.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// Parses 1–16 hex digits, case-insensitive, left-padded to 16 (SPEC §4). Anything else,
    /// including signs, spaces, a `0x` prefix or more than 16 digits, gives nil.
    public init?(hex: String) {
        let digits = hex.utf8
        guard (1...16).contains(digits.count) else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard let nibble = PHash.nibble(byte) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        self.value = value
    }

    /// 16 lowercase hex digits, zero-padded (SPEC §4).
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { out[i] = digits[Int((value >> UInt64(60 - 4 * i)) & 0xF)] }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hamming distance: the number of differing bits, 0–64 (SPEC §4).
    public func distance(to other: PHash) -> Int {
        (value ^ other.value).nonzeroBitCount
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
