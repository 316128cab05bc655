/// 64-bit perceptual hashes of 32×32 grey images (SPEC §4).
///
///     let hash = PerceptualHash.hash(pixels: grey32x32)      // ImageKit's pHash
///     print(hash, hash.distance(to: other))
public enum PerceptualHash {
    /// The side of the square image every variant hashes.
    public static let side = 32

    /// Hashes 32×32 pixels given row by row (`pixels[32 * y + x]`). What the pixels must be
    /// depends on the variant; see `PHashVariant`. Any other count than 1024 is a programming error.
    public static func hash(pixels: [Double], variant: PHashVariant = .imagekit) -> PHash {
        precondition(pixels.count == side * side, "PerceptualHash.hash needs 32×32 = 1024 pixels, got \(pixels.count)")
        switch variant {
        case .imagekit: return SharpPHash.hash(pixels)
        case .imagehash: return ImagehashPHash.hash(pixels)
        case .libphash: return LibPHash.hash(pixels)
        }
    }
}

/// The hash stage of each supported pHash family (phash.md §2). Each takes `pixels[32 * y + x]`;
/// the caller must have made those pixels the way the family's own pixel stage does, or the hash
/// only approximates that family's value.
public enum PHashVariant: String, Sendable, CaseIterable {
    /// ImageKit's `pHash`, the npm `sharp-phash` algorithm (SPEC §4 steps 6–9). Input: the 8-bit
    /// greys (0...255) that sharp 0.26 / libvips 8.10 give for `greyscale().resize(32, 32,
    /// {fit: 'fill'}).rotate().raw()` (SPEC §4 steps 1–5). Block 1...8 × 1...8, mean threshold,
    /// horizontal frequency outer, first bit most significant, evaluated in the same floating-point
    /// operations as sharp-phash in Node, so even degenerate images get Node's bits.
    case imagekit
    /// Python `imagehash.phash` 4.x (phash.md §2.1). Input: Pillow's `convert('L')` greys of the
    /// image resized to 32×32 with `Image.LANCZOS` (0...255). Block 0...7 × 0...7 including DC,
    /// median threshold, vertical frequency outer, first bit most significant.
    case imagehash
    /// libpHash ≤ 0.9.7 `ph_dct_imagehash` (phash.md §2.2). Input: **not** plain greys but the
    /// 32×32 nearest-neighbour samples, at (⌊x·W/32⌋, ⌊y·H/32⌋), of the 7×7 box *sums*
    /// (edge-replicated) of CImg's studio-range luma ⌊(66R + 129G + 25B + 128)/256⌋ + 16, so values
    /// up to 49 × 255. Block 1...8 × 1...8, median threshold, vertical frequency outer, coefficient
    /// i in bit i (least significant first). libpHash 1.0's value is
    /// `(bitreverse(v0.9) << 1) mod 2^64`.
    case libphash
}
