/// libpHash ≤ 0.9.7 `ph_dct_imagehash` hash stage (phash.md §2.2), in CImg's arithmetic:
/// a float DCT matrix C (C[0][x] = 1/√32, C[y][x] = √(2/32)·cos(π/64 · y · (2x+1))),
/// dct = (C · img) · Cᵀ where each product is rounded to float, summed in double and stored as
/// float; the block rows 1...8 × columns 1...8 (vertical frequency outer); the float median of its
/// 64 values; coefficient i > median sets bit i (least significant first).
enum LibPHash {
    static let n = PerceptualHash.side

    /// C[y][x] as matrix[32·y + x].
    static let matrix: [Float] = {
        var c = [Float](repeating: 1 / Float(n).squareRoot(), count: n * n)
        let c1 = Float((2.0 / Double(n)).squareRoot())
        for x in 0..<n {
            for y in 1..<n {
                c[n * y + x] = Float(Double(c1) * libmCos((Double.pi / 2 / Double(n)) * Double(y) * Double(2 * x + 1)))
            }
        }
        return c
    }()

    static func hash(_ p: [Double]) -> PHash {
        let c = matrix
        let img = p.map { Float($0) }
        // t = C · img: t[j][i] = Σ_k C[j][k] · img[k][i]. Rows 1...8 of the result are all that is needed.
        var t = [Float](repeating: 0, count: n * n)
        for j in 1...8 {
            for i in 0..<n {
                var acc = 0.0
                for k in 0..<n { acc += Double(c[n * j + k] * img[n * k + i]) }
                t[n * j + i] = Float(acc)
            }
        }
        // dct = t · Cᵀ: dct[j][i] = Σ_k t[j][k] · C[i][k], for rows and columns 1...8.
        var sub = [Float](repeating: 0, count: 64)
        for j in 1...8 {
            for i in 1...8 {
                var acc = 0.0
                for k in 0..<n { acc += Double(t[n * j + k] * c[n * i + k]) }
                sub[8 * (j - 1) + (i - 1)] = Float(acc)
            }
        }
        let sorted = sub.sorted()
        let median: Float = (sorted[32] + sorted[31]) / 2
        var value: UInt64 = 0
        for i in 0..<64 where sub[i] > median { value |= 1 << UInt64(i) }
        return PHash(value)
    }
}
