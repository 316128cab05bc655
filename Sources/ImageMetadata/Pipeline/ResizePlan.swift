/// The operations libvips 8.10 `vips_resize` runs for sharp 0.26's `resize(32, 32, {fit: 'fill'})`
/// (SPEC §4 step 4; libvips-pipeline.md §1 step 3, §2): shrinkv, shrinkh, reducev, reduceh, then an
/// affine upsize for an axis shorter than the target. Every factor is computed in doubles as written.
struct ResizePlan: Equatable, Sendable {
    var shrinkV = 1
    var shrinkH = 1
    var reduceV: Double? = nil
    var reduceH: Double? = nil
    /// `(hscale, vscale)` when an axis is upsized; the axis that is not keeps a scale ≤ 1 here.
    var upsize: (h: Double, v: Double)? = nil

    static func == (a: ResizePlan, b: ResizePlan) -> Bool {
        a.shrinkV == b.shrinkV && a.shrinkH == b.shrinkH && a.reduceV == b.reduceV && a.reduceH == b.reduceH
            && a.upsize?.h == b.upsize?.h && a.upsize?.v == b.upsize?.v
    }

    /// No shrink, reduce or upsize.
    init() {}

    /// nil when the image already has the target size (sharp then skips the resize).
    init?(width: Int, height: Int, target: Int = 32) {
        let xfactor = Double(width) / Double(target)
        let yfactor = Double(height) / Double(target)
        var hscale = 1.0 / xfactor
        var vscale = 1.0 / yfactor
        if hscale == 1.0 && vscale == 1.0 { return nil }
        // §2 step 1: floor(1 / (2 · scale)) in doubles; not always ⌊W/64⌋ (finding 7).
        let ih = max(1, Int((1.0 / (hscale * 2)).rounded(.down)))
        let iv = max(1, Int((1.0 / (vscale * 2)).rounded(.down)))
        var w = width
        var h = height
        if iv > 1 {
            shrinkV = iv
            vscale *= Double(iv)
            h = BoxShrink.outputLength(height, iv)
        }
        if ih > 1 {
            shrinkH = ih
            hscale *= Double(ih)
            w = BoxShrink.outputLength(width, ih)
        }
        hscale = max(hscale, 1.0 / Double(w))
        vscale = max(vscale, 1.0 / Double(h))
        if vscale < 1.0 { reduceV = 1.0 / vscale }
        if hscale < 1.0 { reduceH = 1.0 / hscale }
        if hscale > 1.0 || vscale > 1.0 { upsize = (hscale, vscale) }
    }

    /// Rows per region in which libvips computes reducev inside sharp 0.26 (libvips-pipeline.md §9):
    /// nil = one region (a shrinkv ran, or a 90°/270° rotation follows), 16 for a FATSTRIP loader or
    /// an upsize, else 1 (THINSTRIP: the position is recomputed for every row).
    func regionRows(demand: LoaderDemand, orientation: Int) -> Int? {
        if shrinkV > 1 || (5...8).contains(orientation) { return nil }
        if demand == .fatStrip || upsize != nil { return 16 }
        return 1
    }
}

/// sharp 0.26's JPEG shrink-on-load factor for `fit: 'fill'` (libvips-pipeline.md §1 step 4): only
/// when both integer factors agree and are ≥ 2, halved when a side is an exact multiple of the target.
func sharpShrinkOnLoad(width: Int, height: Int, target: Int = 32) -> Int {
    let xf = Double(width) / Double(target)
    let yf = Double(height) / Double(target)
    let xs = max(1, Int(xf.rounded(.down)))
    let ys = max(1, Int(yf.rounded(.down)))
    var k = 1
    if xs == ys && xs >= 2 { k = xs >= 8 ? 8 : xs >= 4 ? 4 : 2 }
    if k > 1 && (Double(xs) / xf == 1.0 || Double(ys) / yf == 1.0) { k /= 2 }
    return k
}

