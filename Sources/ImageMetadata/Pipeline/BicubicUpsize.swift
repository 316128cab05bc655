/// libvips 8.10 `vips_affine` with the bicubic (Catmull–Rom) interpolator, as `vips_resize` calls it
/// for an axis shorter than the target (libvips-pipeline.md §13): output pixel o samples input
/// `o / scale − 0.5`, the axis that is not upsized is still interpolated at phase ½, 12-bit integer
/// weights for uchar and double weights for float.
enum BicubicUpsize {
    /// `calculate_coefficients_catmull(x)` in its operation order.
    static func catmull(_ x: Double) -> [Double] {
        let cr1 = 1.0 - x
        let cr2 = -0.5 * x
        let cr3 = cr1 * cr2
        let c0 = cr1 * cr3
        let c3 = x * cr3
        let cr4 = c3 - c0
        let c1 = cr1 - c0 + cr4
        let c2 = x - c3 - cr4
        return [c0, c1, c2, c3]
    }

    /// Weights for the 64 sub-pixel phases (`(float) t / 64`).
    static let weights: [[Double]] = (0..<64).map { catmull(Double(Float($0) / Float(64))) }
    /// `(int)(c · 4096)`, truncated.
    static let fixedWeights: [[Int]] = weights.map { $0.map { Int($0 * 4096) } }

    /// (output length, inverse scale) along one axis of `affine(scale, 0, 0, other)`
    /// (`vips__transform_calc_inverse`: 1/det with det = scale · other).
    static func axis(inputLength: Int, scale: Double, other: Double) -> (length: Int, inverse: Double) {
        let det = scale * other - 0.0 * 0.0
        let tmp = 1.0 / det
        return (Int(scale * Double(inputLength) + 0.5), tmp * other)
    }

    /// Sample positions in the coordinates of the input embedded with 2 replicated pixels before it:
    /// columns accumulate `x += ia` from 1.5, rows are `id · r + 0.5 + 1` afresh.
    static func positions(width: Int, height: Int, hscale: Double, vscale: Double)
        -> (columns: [(Int, Int)], rows: [(Int, Int)])
    {
        let (nx, ia) = axis(inputLength: width, scale: hscale, other: vscale)
        let (ny, id) = axis(inputLength: height, scale: vscale, other: hscale)
        var columns: [(Int, Int)] = []
        var x = ((ia * 0.0 + (-0.0)) + 0.5) + 1.0
        for _ in 0..<nx {
            columns.append((Int(x), Int(x * 64) & 63))
            x += ia
        }
        let rows: [(Int, Int)] = (0..<ny).map { r in
            let y = (id * Double(r) + 0.5) + 1.0
            return (Int(y), Int(y * 64) & 63)
        }
        return (columns, rows)
    }

    /// uchar: along x per row `(Σ w·p + 2048) >> 12` with no clip, then along y, clipped.
    static func resample(_ plane: Plane<UInt8>, hscale: Double, vscale: Double) -> Plane<UInt8> {
        let (columns, rows) = positions(width: plane.width, height: plane.height, hscale: hscale, vscale: vscale)
        var out = Plane<UInt8>(width: columns.count, height: rows.count, fill: 0)
        for (oy, (iy, ty)) in rows.enumerated() {
            let wy = fixedWeights[ty]
            for (ox, (ix, tx)) in columns.enumerated() {
                let wx = fixedWeights[tx]
                var v = 0
                for m in 0..<4 {
                    let y = embedded(iy - 1 + m, plane.height)
                    var r = 0
                    for k in 0..<4 { r += wx[k] * Int(plane[embedded(ix - 1 + k, plane.width), y]) }
                    v += wy[m] * ((r + 2048) >> 12)
                }
                out[ox, oy] = UInt8(min(max((v + 2048) >> 12, 0), 255))
            }
        }
        return out
    }

    /// float (`bicubic_float_tab<float>`): each row sum stored to float, then the column sum.
    static func resample(_ plane: Plane<Float>, hscale: Double, vscale: Double) -> Plane<Float> {
        let (columns, rows) = positions(width: plane.width, height: plane.height, hscale: hscale, vscale: vscale)
        var out = Plane<Float>(width: columns.count, height: rows.count, fill: 0)
        for (oy, (iy, ty)) in rows.enumerated() {
            let cy = weights[ty]
            for (ox, (ix, tx)) in columns.enumerated() {
                let cx = weights[tx]
                var v = 0.0
                for m in 0..<4 {
                    let y = embedded(iy - 1 + m, plane.height)
                    var r = cx[0] * Double(plane[embedded(ix - 1, plane.width), y])
                    for k in 1..<4 { r = r + cx[k] * Double(plane[embedded(ix - 1 + k, plane.width), y]) }
                    let term = cy[m] * Double(Float(r))
                    v = m == 0 ? term : v + term
                }
                out[ox, oy] = Float(v)
            }
        }
        return out
    }

    /// Index `j` of the input embedded with 2 copies of the edge before it (and 3 after).
    @inline(__always)
    static func embedded(_ j: Int, _ n: Int) -> Int { min(max(j - 2, 0), n - 1) }
}
