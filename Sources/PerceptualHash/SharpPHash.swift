/// ImageKit's hash stage: the npm `sharp-phash` algorithm as Node evaluates it (SPEC §4 steps 6–9,
/// phash.md §1.5).
///
/// With the signal s[x][y] = p[32y + x] and COS[k][n] = cos((2k+1)/64 · n · π),
/// F[u][v] = c(u)·c(v)/4 · Σᵢ Σⱼ COS[i][u]·COS[j][v]·s[i][j], u the horizontal frequency.
/// Bits are F[u][v] > mean(F[1...8][1...8]) for u in 1...8 (outer), v in 1...8, first bit the MSB.
///
/// On real images every coefficient is far from the mean and any float evaluation gives the same
/// bits. On degenerate images (a single colour, a pure gradient, …) the block is mathematically all
/// equal and rounding noise decides each bit, so this repeats sharp-phash's JavaScript operation for
/// operation: COS from V8's `Math.cos` (`FdlibmCosine`), each coefficient one running sum over i
/// (outer) and j (inner) of `(COS[i][u] · COS[j][v]) · s[i][j]` (left to right, no fused
/// multiply-add: Swift does not contract), then `× (c(u)·c(v))/4`, the mean as one running sum in
/// the same u-outer order, divided by 64.
enum SharpPHash {
    static let n = PerceptualHash.side

    /// COS[k][nu] flattened as cosTable[32·k + nu]; the argument is evaluated as JavaScript's
    /// `((2 * k + 1) / (2.0 * N)) * n * Math.PI`.
    static let cosTable: [Double] = {
        var table = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            for nu in 0..<n {
                table[n * k + nu] = FdlibmCosine.cos((Double(2 * k + 1) / (2.0 * Double(n))) * Double(nu) * Double.pi)
            }
        }
        return table
    }()

    static func hash(_ p: [Double]) -> PHash {
        let cosT = cosTable
        // Only F[1...8][1...8] is used; each coefficient is computed independently, so the others
        // are skipped. c(u) = c(v) = 1 there, so the scale (c(u)·c(v))/4 is exactly 0.25.
        var block = [Double](repeating: 0, count: 64)
        for u in 1...8 {
            for v in 1...8 {
                var sum = 0.0
                for i in 0..<n {
                    for j in 0..<n {
                        sum += cosT[n * i + u] * cosT[n * j + v] * p[n * j + i]
                    }
                }
                sum *= 0.25                                   // (SQRT[u] · SQRT[v]) / 4
                block[8 * (u - 1) + (v - 1)] = sum
            }
        }
        var total = 0.0
        for c in block { total += c }
        let avg = total / 64
        var value: UInt64 = 0
        for c in block { value = value << 1 | (c > avg ? 1 : 0) }
        return PHash(value)
    }
}
