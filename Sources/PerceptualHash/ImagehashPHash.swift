/// Python `imagehash.phash` 4.x hash stage (phash.md §2.1): scipy's unnormalised DCT-II
/// (y[k] = 2 Σ x[n] cos(πk(2n+1)/2N)) down the columns and then along the rows, the top-left
/// 8×8 block including DC, threshold = numpy's median (mean of the 32nd and 33rd values),
/// bits row by row (vertical frequency outer), first bit the MSB.
enum ImagehashPHash {
    static let n = PerceptualHash.side

    /// 2·cos(πk(2m+1)/64) as basis[32·k + m], k = 0...7.
    static let basis: [Double] = {
        var table = [Double](repeating: 0, count: 8 * n)
        for k in 0..<8 {
            for m in 0..<n { table[n * k + m] = 2 * libmCos(Double.pi * Double(k * (2 * m + 1)) / Double(2 * n)) }
        }
        return table
    }()

    static func hash(_ p: [Double]) -> PHash {
        let b = basis
        // Along axis 0 (y): t[k][x] = Σ_y p[y][x] · b[k][y].
        var t = [Double](repeating: 0, count: 8 * n)
        for k in 0..<8 {
            for x in 0..<n {
                var acc = 0.0
                for y in 0..<n { acc += p[n * y + x] * b[n * k + y] }
                t[n * k + x] = acc
            }
        }
        // Along axis 1 (x): d[k][l] = Σ_x t[k][x] · b[l][x].
        var d = [Double](repeating: 0, count: 64)
        for k in 0..<8 {
            for l in 0..<8 {
                var acc = 0.0
                for x in 0..<n { acc += t[n * k + x] * b[n * l + x] }
                d[8 * k + l] = acc
            }
        }
        let sorted = d.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        var value: UInt64 = 0
        for c in d { value = value << 1 | (c > median ? 1 : 0) }
        return PHash(value)
    }
}
