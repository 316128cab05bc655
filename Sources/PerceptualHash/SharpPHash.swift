/// ImageKit's hash stage: the npm `sharp-phash` algorithm (SPEC §4 steps 6–9, phash.md §1.5).
///
/// With the signal s[x][y] = p[32y + x] and COS[k][n] = cos((2k+1)/64 · n · π),
/// F[u][v] = c(u)·c(v)/4 · Σᵢ Σⱼ COS[i][u]·COS[j][v]·s[i][j], u the horizontal frequency.
/// Bits are F[u][v] > mean(F[1...8][1...8]) for u in 1...8 (outer), v in 1...8, first bit the MSB.
///
/// On real images every coefficient is far from the mean and any float evaluation gives the same
/// bits. On degenerate images (a single colour, a pure horizontal gradient, …) the block is
/// mathematically all equal and rounding noise decides each bit, so the arithmetic is fixed to
/// that of the project's reference model (`phash_reference.py`, numpy on OpenBLAS): the DCT as two
/// matrix products, each output a sequential fused multiply-add over k, COS from the C library's
/// `cos`, and the block sum as numpy's 8-way pairwise sum.
enum SharpPHash {
    static let n = PerceptualHash.side

    /// COS[k][nu] flattened as cosTable[32·k + nu], computed as the reference does.
    static let cosTable: [Double] = {
        var table = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            for nu in 0..<n {
                table[n * k + nu] = libmCos((Double(2 * k + 1) / (2.0 * Double(n))) * Double(nu) * Double.pi)
            }
        }
        return table
    }()

    static func hash(_ p: [Double]) -> PHash {
        let cosT = cosTable
        // G = COSᵀ · s: G[u][j] = Σᵢ COS[i][u] · s[i][j], s[i][j] = p[32j + i]. Only u = 1...8 is needed.
        var g = [Double](repeating: 0, count: 8 * n)
        for u in 1...8 {
            for j in 0..<n {
                var acc = 0.0
                for i in 0..<n { acc = acc.addingProduct(cosT[n * i + u], p[n * j + i]) }
                g[n * (u - 1) + j] = acc
            }
        }
        // F = G · COS, then × c(u)c(v)/4, where c = 1 for every frequency ≥ 1.
        var block = [Double](repeating: 0, count: 64)
        for u in 0..<8 {
            for v in 0..<8 {
                var acc = 0.0
                for j in 0..<n { acc = acc.addingProduct(g[n * u + j], cosT[n * j + v + 1]) }
                block[8 * u + v] = acc / 4
            }
        }
        let mean = pairwiseSum(block) / 64.0
        var value: UInt64 = 0
        for c in block { value = value << 1 | (c > mean ? 1 : 0) }
        return PHash(value)
    }

    /// numpy's pairwise sum of 64 values: 8 running sums of stride-8 lanes, then a balanced tree.
    static func pairwiseSum(_ a: [Double]) -> Double {
        var r = Array(a[0..<8])
        var i = 8
        while i < a.count {
            for lane in 0..<8 { r[lane] += a[i + lane] }
            i += 8
        }
        return ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    }
}
