/// The byte generator of the language-independent hash-stage vectors (phash.md §3.2):
/// s ← (1103515245·s + 12345) mod 2³¹, byte = (s >> 16) & 255, the first byte from the first updated state.
func lcgBytes(count: Int, seed: UInt64) -> [UInt8] {
    var s = seed
    var out: [UInt8] = []
    out.reserveCapacity(count)
    for _ in 0..<count {
        s = (1_103_515_245 &* s &+ 12345) & 0x7FFF_FFFF
        out.append(UInt8((s >> 16) & 255))
    }
    return out
}

/// 32×32 pixels `a[y][x] = b[32y + x]` from the LCG, as the vectors use them.
func lcgPixels(seed: UInt64) -> [Double] {
    lcgBytes(count: 1024, seed: seed).map(Double.init)
}
