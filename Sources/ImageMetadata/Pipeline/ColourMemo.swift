/// A small direct-mapped memo of 8-bit RGB colour → B_W value for one image (SPEC §4 step 3; speed
/// only). Photos repeat colours a lot, so most pixels are answered by the memo, which saves the lcms
/// transform (and the grey formula) for them. Its size was measured on the photo benchmark's
/// images with a profile: 2^18 slots (1 MiB) are the fastest; 2^16 take 8 % longer, 2^14 16 %,
/// 2^20 4 % and 2^22 15 % (cache misses outweigh the extra hits). A smaller image gets a memo of
/// about its pixel count (at least 2^10 slots): filling 1 MiB for a thumbnail cost 10 %.
///
/// Exact: a slot only ever answers for the colour it was filled with, and every value stored was
/// computed by the caller for that very colour.
final class ColourMemo {
    static let maxSlotBits = 18
    let slotBits: Int
    /// `(rgb << 8) | grey`, with rgb the 24-bit key of `key(_:_:_:)`.
    private let slots: UnsafeMutablePointer<UInt32>

    /// `black`: the B_W value of colour (0, 0, 0). Every slot starts as the true entry "black →
    /// `black`"; a lookup compares the whole key, so any slot may hold it. `pixels`: the image's.
    init(black: UInt8, pixels: Int) {
        var bits = 10
        while bits < Self.maxSlotBits && (1 << bits) < pixels { bits += 1 }
        slotBits = bits
        slots = .allocate(capacity: 1 << bits)
        slots.initialize(repeating: UInt32(black), count: 1 << bits)
    }

    deinit { slots.deallocate() }

    @inline(__always)
    static func key(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt32 {
        UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
    }

    /// Fibonacci hashing: the top bits of key · ⌊2^32/φ⌋, so neighbouring colours spread out.
    @inline(__always)
    func slot(_ key: UInt32) -> Int {
        Int((key &* 0x9E37_79B1) >> UInt32(32 - slotBits))
    }

    /// The stored B_W value of colour `key`, if its slot holds that colour.
    @inline(__always)
    func lookup(_ key: UInt32) -> UInt8? {
        let entry = slots[slot(key)]
        return entry >> 8 == key ? UInt8(truncatingIfNeeded: entry) : nil
    }

    @inline(__always)
    func store(_ key: UInt32, _ grey: UInt8) {
        slots[slot(key)] = key << 8 | UInt32(grey)
    }
}
