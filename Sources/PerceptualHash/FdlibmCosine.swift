/// JavaScript's `Math.cos` as V8 computes it: fdlibm 5.3's `cos` (SPEC §4). ImageKit's hash stage
/// runs in Node, and on degenerate images the last bit of its cosine table decides hash bits; this
/// differs from a correctly rounded cosine (glibc's) by one ulp on 36 of the 1024 table values.
///
/// Algorithm (Sun's fdlibm, as V8's `ieee754::cos` has it):
/// 1. Reduce: x = n·π/2 + (y₀ + y₁), |y₀ + y₁| ≤ π/4, with π/2 split into 33-bit pieces so the
///    products n·pieceᵢ are exact (`reduce`).
/// 2. By n mod 4, return ±cos or ±sin of y₀ + y₁ from minimax polynomials on [−π/4, π/4]
///    (`kernelCos`, `kernelSin`), y₁ being a correction term.
/// Only arguments with |x| ≤ 2¹⁹·π/2 (fdlibm's "medium" size) are supported; the hash needs [0, 97.4].
/// Every constant is given by its IEEE bits, as fdlibm publishes them.
enum FdlibmCosine {
    static func cos(_ x: Double) -> Double {
        let ix = highWord(x) & 0x7FFF_FFFF
        if ix <= 0x3FE9_21FB { return kernelCos(x, 0) }          // |x| ≲ π/4: no reduction
        let (n, y0, y1) = reduce(x)
        switch n & 3 {
        case 0: return kernelCos(y0, y1)
        case 1: return -kernelSin(y0, y1)
        case 2: return -kernelCos(y0, y1)
        default: return kernelSin(y0, y1)
        }
    }

    @inline(__always)
    static func highWord(_ x: Double) -> UInt32 {
        UInt32(truncatingIfNeeded: x.bitPattern >> 32)
    }

    /// x with the low 32 bits of its representation cleared.
    @inline(__always)
    static func fromHighWord(_ high: UInt32) -> Double {
        Double(bitPattern: UInt64(high) << 32)
    }

    // MARK: Argument reduction (fdlibm `__ieee754_rem_pio2`, |x| ≤ 2¹⁹·π/2)

    static let invPio2 = Double(bitPattern: 0x3FE4_5F30_6DC9_C883)    // 2/π
    static let pio2_1 = Double(bitPattern: 0x3FF9_21FB_5440_0000)     // first 33 bits of π/2
    static let pio2_1t = Double(bitPattern: 0x3DD0_B461_1A62_6331)    // π/2 − pio2_1
    static let pio2_2 = Double(bitPattern: 0x3DD0_B461_1A60_0000)     // next 33 bits
    static let pio2_2t = Double(bitPattern: 0x3BA3_198A_2E03_7073)    // π/2 − (pio2_1 + pio2_2)
    static let pio2_3 = Double(bitPattern: 0x3BA3_198A_2E00_0000)     // next 33 bits
    static let pio2_3t = Double(bitPattern: 0x397B_839A_2520_49C1)    // π/2 − (pio2_1 + pio2_2 + pio2_3)

    /// High words of n·π/2 for n = 1...32: arguments this close to a multiple of π/2 take the
    /// careful path, since their reduced value may have lost many bits to cancellation.
    static let nPio2High: [UInt32] = [
        0x3FF9_21FB, 0x4009_21FB, 0x4012_D97C, 0x4019_21FB, 0x401F_6A7A, 0x4022_D97C, 0x4025_FDBB, 0x4029_21FB,
        0x402C_463A, 0x402F_6A7A, 0x4031_475C, 0x4032_D97C, 0x4034_6B9C, 0x4035_FDBB, 0x4037_8FDB, 0x4039_21FB,
        0x403A_B41B, 0x403C_463A, 0x403D_D85A, 0x403F_6A7A, 0x4040_7E4C, 0x4041_475C, 0x4042_106C, 0x4042_D97C,
        0x4043_A28C, 0x4044_6B9C, 0x4045_34AC, 0x4045_FDBB, 0x4046_C6CB, 0x4047_8FDB, 0x4048_58EB, 0x4049_21FB,
    ]

    /// (n, y₀, y₁) with x = n·π/2 + y₀ + y₁ and |y₀ + y₁| ≤ π/4 (for |x| > π/4).
    static func reduce(_ x: Double) -> (Int32, Double, Double) {
        let hx = highWord(x)
        let ix = hx & 0x7FFF_FFFF
        let negative = hx >> 31 != 0
        precondition(ix <= 0x4139_21FB, "FdlibmCosine supports |x| ≤ 2^19·π/2 only, got \(x)")
        if ix < 0x4002_D97C {
            // |x| < 3π/4, so n = ±1: subtract π/2 directly, in two pieces unless x is within
            // 2⁻³³ of π/2, where a third piece is needed.
            let t = negative ? -x : x
            var z = t - pio2_1
            let y0, y1: Double
            if ix != 0x3FF9_21FB {
                y0 = z - pio2_1t
                y1 = (z - y0) - pio2_1t
            } else {
                z -= pio2_2
                y0 = z - pio2_2t
                y1 = (z - y0) - pio2_2t
            }
            return negative ? (-1, -y0, -y1) : (1, y0, y1)
        }
        let t = Swift.abs(x)
        let n = Int32(t * invPio2 + 0.5)                      // truncation, as C's (int) cast
        let fn = Double(n)
        var r = t - fn * pio2_1                               // exact: fn·pio2_1 has ≤ 53 bits
        var w = fn * pio2_1t
        var y0: Double
        if n < 32 && ix != nPio2High[Int(n) - 1] {
            y0 = r - w                                        // no large cancellation possible
        } else {
            // Count the bits cancelled by comparing exponents; refine with the next pieces of π/2.
            let exponent = Int32(ix >> 20)
            y0 = r - w
            if exponent - Int32((highWord(y0) >> 20) & 0x7FF) > 16 {
                var u = r
                w = fn * pio2_2
                r = u - w
                w = fn * pio2_2t - ((u - r) - w)
                y0 = r - w
                if exponent - Int32((highWord(y0) >> 20) & 0x7FF) > 49 {
                    u = r
                    w = fn * pio2_3
                    r = u - w
                    w = fn * pio2_3t - ((u - r) - w)
                    y0 = r - w
                }
            }
        }
        let y1 = (r - y0) - w
        return negative ? (-n, -y0, -y1) : (n, y0, y1)
    }

    // MARK: Kernels on [−π/4, π/4] (fdlibm `__kernel_cos`, `__kernel_sin` with iy = 1)

    static let c1 = Double(bitPattern: 0x3FA5_5555_5555_554C)
    static let c2 = Double(bitPattern: 0xBF56_C16C_16C1_5177)
    static let c3 = Double(bitPattern: 0x3EFA_01A0_19CB_1590)
    static let c4 = Double(bitPattern: 0xBE92_7E4F_809C_52AD)
    static let c5 = Double(bitPattern: 0x3E21_EE9E_BDB4_B1C4)
    static let c6 = Double(bitPattern: 0xBDA8_FAE9_BE88_38D4)

    static let s1 = Double(bitPattern: 0xBFC5_5555_5555_5549)
    static let s2 = Double(bitPattern: 0x3F81_1111_1110_F8A6)
    static let s3 = Double(bitPattern: 0xBF2A_01A0_19C1_61D5)
    static let s4 = Double(bitPattern: 0x3EC7_1DE3_57B1_FE7D)
    static let s5 = Double(bitPattern: 0xBE5A_E5E6_8A2B_9CEB)
    static let s6 = Double(bitPattern: 0x3DE5_D93A_5ACF_D57C)

    /// cos(x + y) for |x| ≤ π/4, y a tail below ulp(x):
    /// 1 − x²/2 + x⁴·(c1 + c2·x² + … + c6·x¹⁰) − x·y, with 1 − x²/2 split so no bits are lost.
    static func kernelCos(_ x: Double, _ y: Double) -> Double {
        let ix = highWord(x) & 0x7FFF_FFFF
        if ix < 0x3E40_0000 { return 1 }                      // |x| < 2⁻²⁷
        let z = x * x
        let r = z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))))
        if ix < 0x3FD3_3333 {                                 // |x| < 0.3
            return 1 - (0.5 * z - (z * r - x * y))
        }
        // Move an exactly representable qx (x²/4 truncated, or 0.28125 above 0.78125) from x²/2
        // into 1 so that 1 − qx is exact.
        let qx = ix > 0x3FE9_0000 ? 0.28125 : fromHighWord(ix - 0x0020_0000)
        let hz = 0.5 * z - qx
        let a = 1 - qx
        return a - (hz - (z * r - x * y))
    }

    /// sin(x + y) for |x| ≤ π/4, y a tail below ulp(x): x + x³·(s1 + s2·x² + … + s6·x¹⁰) + y·cos.
    static func kernelSin(_ x: Double, _ y: Double) -> Double {
        let ix = highWord(x) & 0x7FFF_FFFF
        if ix < 0x3E40_0000 { return x }                      // |x| < 2⁻²⁷
        let z = x * x
        let v = z * x
        let r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)))
        return x - ((z * (0.5 * y - v * r) - y) - v * s1)
    }
}
