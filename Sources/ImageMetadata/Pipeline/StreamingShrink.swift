/// The shrink stage fed row by row (SPEC §4 step 4; libvips-pipeline.md §3): each B_W row goes
/// through `shrinkv`'s running sums and, when a shrunk row is complete, through `shrinkh`. Only the
/// shrunk image (at most ~128 × 128) is kept, so memory follows the width, not the area.
/// With alpha, the rows are premultiplied to float first (§4.8) and both bands shrink in float.
struct StreamingShrink {
    let plan: ResizePlan
    let width: Int
    let height: Int
    let alpha: Bool
    private var vertical: VerticalShrink<UInt8>?
    private var verticalGrey: VerticalShrink<Float>?
    private var verticalAlpha: VerticalShrink<Float>?
    private var premultiplied: [Float]
    private var alphaRow: [Float]
    private(set) var grey: [UInt8] = []
    private(set) var greyFloat: [Float] = []
    private(set) var alphaFloat: [Float] = []
    private(set) var rows = 0
    private var nextInput = 0

    init(width: Int, height: Int, plan: ResizePlan, alpha: Bool) {
        self.plan = plan
        self.width = width
        self.height = height
        self.alpha = alpha
        premultiplied = alpha ? [Float](repeating: 0, count: width) : []
        alphaRow = alpha ? [Float](repeating: 0, count: width) : []
        if plan.shrinkV > 1 {
            if alpha {
                verticalGrey = VerticalShrink<Float>(width: width, height: height, k: plan.shrinkV)
                verticalAlpha = VerticalShrink<Float>(width: width, height: height, k: plan.shrinkV)
            } else {
                vertical = VerticalShrink<UInt8>(width: width, height: height, k: plan.shrinkV)
            }
        }
    }

    /// The shrunk width.
    var outputWidth: Int { plan.shrinkH > 1 ? BoxShrink.outputLength(width, plan.shrinkH) : width }

    /// Adds the next input row (B_W band and, with alpha, the alpha band).
    mutating func push(grey row: UnsafeBufferPointer<UInt8>, alpha a: UnsafeBufferPointer<UInt8>?) {
        let y = nextInput
        nextInput += 1
        guard alpha, let a else {
            if vertical != nil {
                // Mutated in place (no copy of the running sums).
                if vertical!.push(row, y: y) {
                    let shrunk = vertical!.output
                    shrunk.withUnsafeBufferPointer { appendRow($0) }
                }
            } else {
                appendRow(row)
            }
            return
        }
        // §4.8 premultiply: a' = f32(clip(a) / 255), g' = f32(g · a'); alpha kept as float a.
        for x in 0..<width {
            let norm = Float(Double(a[x]) / 255.0)
            premultiplied[x] = Float(row[x]) * norm
            alphaRow[x] = Float(a[x])
        }
        let pm = premultiplied
        let am = alphaRow
        if verticalGrey != nil {
            let ready = pm.withUnsafeBufferPointer { verticalGrey!.push($0, y: y) }
            _ = am.withUnsafeBufferPointer { verticalAlpha!.push($0, y: y) }
            if ready {
                let g = verticalGrey!.output
                let al = verticalAlpha!.output
                g.withUnsafeBufferPointer { g in al.withUnsafeBufferPointer { al in appendRows(g, al) } }
            }
        } else {
            pm.withUnsafeBufferPointer { g in am.withUnsafeBufferPointer { al in appendRows(g, al) } }
        }
    }

    private mutating func appendRow(_ row: UnsafeBufferPointer<UInt8>) {
        if plan.shrinkH > 1 { BoxShrink.horizontal(row, plan.shrinkH, into: &grey) } else { grey.append(contentsOf: row) }
        rows += 1
    }

    private mutating func appendRows(_ g: UnsafeBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>) {
        if plan.shrinkH > 1 {
            BoxShrink.horizontal(g, plan.shrinkH, into: &greyFloat)
            BoxShrink.horizontal(a, plan.shrinkH, into: &alphaFloat)
        } else {
            greyFloat.append(contentsOf: g)
            alphaFloat.append(contentsOf: a)
        }
        rows += 1
    }
}
