#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libvips 8.10 `colourspace(B_W)` from sRGB or RGB16 (SPEC §4 step 3; libvips-pipeline.md §5): a
/// float table to linear light, weights 0.2/0.7/0.1 in double, then the 8-bit table back with linear
/// interpolation and round-half-even.
///
/// Speed (the per-pixel cost dominates the exact pHash): every factor of the per-pixel formula that
/// depends on one code value alone is computed once, in the same IEEE operations, and kept in tables
/// read without bounds checks. The results are bit-identical to the formula in `referenceGrey`.
final class GreyConversion: @unchecked Sendable {  // immutable after init
    /// Linear light of each code value (`v2Y`), 256 or 65536 entries.
    let toLinear: [Float]
    /// 8-bit code of each of 256 linear steps, plus a copy of the last (`Y2v`).
    let toCode: [Int32]

    private let tables: Tables
    private let range: Int

    static let eightBit = GreyConversion(range: 256)
    /// The RGB16 tables (65536-entry `v2Y`, same `Y2v`); static lets are built once, on first use.
    static let sixteenBit = GreyConversion(range: 65536)

    /// `calcul_tables` of libvips 8.10 LabQ2sRGB.c for `range` code values.
    init(range: Int) {
        self.range = range
        toLinear = (0..<range).map { i in
            let f = Double(Float(i) / Float(range - 1))  // float division
            return Float(f <= 0.04045 ? f / 12.92 : pow((f + 0.055) / 1.055, 2.4))
        }
        var codes: [Int32] = (0..<256).map { i in
            let f = Double(Float(i) / Float(255))
            let encoded = Float(f <= 0.0031308 ? 12.92 * f : 1.055 * pow(f, 1.0 / 2.4) - 0.055)
            return Int32((Float(255) * encoded).rounded(.toNearestOrEven))
        }
        codes.append(codes[255])
        toCode = codes

        tables = Tables(linear: toLinear, codes: codes)
    }

    deinit { tables.deallocate() }

    /// The B_W value of one pixel; `r`, `g`, `b` must be code values below `range`.
    @inline(__always)
    func grey(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        assert(r >= 0 && r < range && g >= 0 && g < range && b >= 0 && b < range)
        return tables.grey(r, g, b)
    }

    /// B_W of `count` pixels whose first three of `bands` samples are R, G, B (code values < `range`).
    @inline(__always)
    func greyRow<S: FixedWidthInteger & UnsignedInteger>(
        _ s: UnsafePointer<S>, bands: Int, count: Int, into grey: UnsafeMutablePointer<UInt8>
    ) {
        assert(S.bitWidth == 8 ? range >= 256 : range >= 65536)
        // A constant stride for the common layouts lets the compiler fold it into the addressing.
        switch bands {
        case 3: tables.row(s, stride: 3, count: count, into: grey)
        case 4: tables.row(s, stride: 4, count: count, into: grey)
        default: tables.row(s, stride: bands, count: count, into: grey)
        }
    }

    /// The tables of the per-pixel formula, read without bounds checks.
    private struct Tables {
        /// `0.2 · v2Y[v]`, `0.7 · v2Y[v]`, `0.1 · v2Y[v]` as doubles: the products the formula forms
        /// for each channel, so the per-pixel sum `(red + green) + blue` is the formula's, bit for bit.
        let red: UnsafeMutablePointer<Double>
        let green: UnsafeMutablePointer<Double>
        let blue: UnsafeMutablePointer<Double>
        /// The second half of the formula, `code(y)`, as a step table over the float y.
        let steps: CodeSteps

        init(linear: [Float], codes: [Int32]) {
            red = .allocate(capacity: linear.count)
            green = .allocate(capacity: linear.count)
            blue = .allocate(capacity: linear.count)
            for (v, l) in linear.enumerated() {
                red[v] = 0.2 * Double(l)
                green[v] = 0.7 * Double(l)
                blue[v] = 0.1 * Double(l)
            }
            steps = CodeSteps(codes: codes)
            // The row loop leaves out the clamp to 1.0: every table is non-decreasing and so are the
            // additions and the rounding to float, so the largest sum is that of the largest codes.
            let last = linear.count - 1
            precondition(Float((red[last] + green[last]) + blue[last]) <= 1, "a grey sum above 1.0")
        }

        func deallocate() {
            for table in [red, green, blue] { table.deallocate() }
            steps.deallocate()
        }

        @inline(__always)
        func grey(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
            steps.code(Float((red[r] + green[g]) + blue[b]))
        }

        /// `grey` of `count` pixels `stride` samples apart, four per step (the loop's own
        /// instructions are a fifth of the work otherwise), without the clamp (see init).
        @inline(__always)
        func row<S: FixedWidthInteger & UnsignedInteger>(
            _ s: UnsafePointer<S>, stride: Int, count: Int, into grey: UnsafeMutablePointer<UInt8>
        ) {
            @inline(__always) func one(_ p: UnsafePointer<S>) -> UInt8 {
                steps.codeAtMostOne(Float((red[Int(p[0])] + green[Int(p[1])]) + blue[Int(p[2])]))
            }
            var p = s
            var x = 0
            while x + 4 <= count {
                grey[x] = one(p)
                grey[x + 1] = one(p + stride)
                grey[x + 2] = one(p + 2 * stride)
                grey[x + 3] = one(p + 3 * stride)
                p += 4 * stride
                x += 4
            }
            while x < count {
                grey[x] = one(p)
                p += stride
                x += 1
            }
        }
    }

    /// `code(y)`: the 8-bit value of linear light y ≥ 0 as libvips computes it — `Y2v` interpolated
    /// at y · 255, rounded half to even.
    static func code(_ y: Float, _ toCode: [Int32]) -> UInt8 {
        let yf = min(max(y * Float(255), 0), 255)
        let i = Int(yf)
        let low = toCode[i]
        let v = Float(low) + Float(toCode[i + 1] - low) * (yf - Float(i))
        return UInt8(v.rounded(.toNearestOrEven))
    }

    /// `code(y)` without float arithmetic: a table over the bit pattern of y.
    ///
    /// Why it is exact: every step of `code` (multiply, clamp, truncate, interpolate between
    /// non-decreasing `Y2v` values, round) is monotone, so `code` is a non-decreasing step function
    /// of y, and for y ≥ 0 the order of floats is the order of their bit patterns. The table has one
    /// entry per 2^16 consecutive patterns (a "bucket") up to 1.0: the code at the bucket's first
    /// pattern, and where inside the bucket the code rises by one, if it does. The init finds every
    /// rising pattern by binary search and checks that no bucket holds two and that no rise is
    /// larger than one (a bucket spans less than one code step; the tables are constants, so the
    /// checks always pass or always fail). Every y ≥ 1.0 has code 255, as 1.0 has.
    struct CodeSteps {
        static let bucketShift: UInt32 = 16
        static let oneBits = Float(1).bitPattern
        /// Per bucket: first code << 16 + (2^16 − offset of the rising pattern), or + 0 when flat.
        /// Adding the low 16 bits of y's pattern carries one into the code exactly from the rising
        /// pattern on (`code(_:)`).
        private let buckets: UnsafeMutablePointer<UInt32>

        init(codes: [Int32]) {
            let count = Int(Self.oneBits >> Self.bucketShift) + 1
            let code = { (bits: UInt32) in Int(GreyConversion.code(Float(bitPattern: bits), codes)) }
            let first = (0..<count).map { code(UInt32($0) << Self.bucketShift) }
            var rising = [UInt32?](repeating: nil, count: count)
            for k in code(0) + 1...255 {
                // The first pattern whose code is ≥ k (code(1.0) = 255).
                var low: UInt32 = 0
                var high = Self.oneBits
                while low < high {
                    let mid = low + (high - low) / 2
                    if code(mid) >= k { high = mid } else { low = mid + 1 }
                }
                let bucket = Int(low >> Self.bucketShift)
                let offset = low & 0xFFFF
                precondition(code(low) == k && code(low - 1) == k - 1, "a code step larger than one")
                if offset == 0 { continue }  // rises at the bucket's first pattern: in `first`
                precondition(rising[bucket] == nil, "two code steps in one bucket")
                rising[bucket] = offset
            }
            buckets = .allocate(capacity: count)
            for j in 0..<count {
                buckets[j] = UInt32(first[j]) << 16 + (rising[j].map { 0x10000 - $0 } ?? 0)
            }
        }

        func deallocate() { buckets.deallocate() }

        @inline(__always)
        func code(_ y: Float) -> UInt8 {
            codeAtMostOne(Float(bitPattern: min(y.bitPattern, Self.oneBits)))  // y ≥ 0: a sum of non-negative terms
        }

        /// `code(y)` for 0 ≤ y ≤ 1.0.
        @inline(__always)
        func codeAtMostOne(_ y: Float) -> UInt8 {
            let bits = y.bitPattern
            // (first << 16 + adjust + low) >> 16 = first + 1 exactly when low ≥ the rising offset,
            // as adjust + low < 2^17. No branch: photos make the outcome unpredictable.
            return UInt8(truncatingIfNeeded: (buckets[Int(bits >> Self.bucketShift)] &+ (bits & 0xFFFF)) >> 16)
        }
    }

    /// The formula as libvips writes it (kept to check the tables against; libvips-pipeline.md §5).
    func referenceGrey(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        let y = Float((0.2 * Double(toLinear[r]) + 0.7 * Double(toLinear[g])) + 0.1 * Double(toLinear[b]))
        return Self.code(y, toCode)
    }

    /// `code(y)` through the step table, for checking it against `code(_:_:)`.
    func tableCode(_ y: Float) -> UInt8 { tables.steps.code(y) }
}
