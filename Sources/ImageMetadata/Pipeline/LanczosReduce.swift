#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libvips 8.10.0 `reducev` / `reduceh` with the lanczos3 kernel (libvips-pipeline.md §4): 64 phases
/// truncated from the position, the 8.10.0 origin quirk, 12-bit C masks, liborc's 6-bit masks for
/// `reducev` on uchar, and double masks for float images.
struct LanczosReducer {
    enum Arithmetic {
        /// liborc path of `reducev` (sharp 0.26 enables liborc): 6-bit masks, `(Σ + 32) >> 6`.
        case orc
        /// C path: 12-bit masks, `(Σ + 2048) >> 12`.
        case fixed12
    }

    let factor: Double
    let taps: Int
    let inputLength: Int
    let outputLength: Int
    let offset: Double
    let pad: Int
    /// Double masks per phase.
    let masks: [[Double]]

    static let phases = 64

    init(factor: Double, inputLength: Int) {
        self.factor = factor
        self.inputLength = inputLength
        // §4.1: n = 2·rint(3·s) + 1 (rint is half-even).
        let n = Int(2 * (3 * factor).rounded(.toNearestOrEven) + 1)
        taps = n
        outputLength = Int(Double(inputLength) / factor + 0.5)
        let extra = Double(outputLength) * factor - Double(inputLength)
        offset = (1 + extra) / 2.0
        pad = n / 2 - 1
        masks = (0..<Self.phases).map { p in
            Self.lanczos3(taps: n, factor: factor, phase: Double(Float(p) / Float(64)))
        }
    }

    /// §4.2: the normalised lanczos3 mask for one phase.
    static func lanczos3(taps n: Int, factor: Double, phase x: Double) -> [Double] {
        let pi = 3.14159265358979323846
        let half = x + Double(n) / 2.0 - 1
        var values: [Double] = []
        var sum = 0.0
        for i in 0..<n {
            let xp = (Double(i) - half) / factor
            let l: Double
            if xp == 0.0 {
                l = 1.0
            } else if xp < -3 || xp > 3 {
                l = 0.0
            } else {
                l = 3.0 * sin(pi * xp) * sin(pi * xp / 3.0) / (pi * pi * xp * xp)
            }
            values.append(l)
            sum += l
        }
        return values.map { $0 / sum }
    }

    /// C form: `trunc(c · 4096)`.
    func fixed12Masks() -> [[Int]] { masks.map { $0.map { Int($0 * 4096) } } }

    /// orc form: `vips_vector_to_fixed_point(c, 64)`.
    func orcMasks() -> [[Int]] { masks.map { Self.fixedPoint($0, scale: 64) } }

    /// libvips `vips_vector_to_fixed_point` (§4.5): integers that sum to `rint(scale · Σc)`, found by a
    /// binary search on the multiplier, then spread any remaining difference over the first taps.
    static func fixedPoint(_ c: [Double], scale: Int) -> [Int] {
        let n = c.count
        var fsum = 0.0
        for v in c { fsum += v }
        let target = Int((fsum * Double(scale)).rounded(.toNearestOrEven))
        var high = Double(scale + (n + 1) / 2)
        var low = Double(scale - (n + 1) / 2)
        var out: [Int] = []
        var sum = 0
        while true {
            let guess = (high + low) / 2.0
            out = c.map { Int(($0 * guess).rounded(.toNearestOrEven)) }
            sum = out.reduce(0, +)
            if sum == target { break }
            if sum < target { low = guess }
            if sum > target { high = guess }
            if !(high - low > 0.01) { break }
        }
        if sum != target {
            let diff = target - sum
            let each = diff / n  // truncates toward zero, as C does
            let extra = diff - each * n
            let step = extra > 0 ? 1 : -1
            out = out.map { $0 + each }
            for i in 0..<abs(extra) { out[i] += step }
        }
        return out
    }

    /// §4.3–4.4: (first tap in padded coordinates, phase) of each output pixel. The position is
    /// computed at the start of each region and accumulated (`X += s`) inside it; `regionRows` nil is
    /// one region, `restart` starts one more region at that output index.
    func positions(regionRows: Int?, restart: Int? = nil) -> [(start: Int, phase: Int)] {
        var result: [(Int, Int)] = []
        var x = 0.0
        for o in 0..<outputLength {
            if o == 0 || (regionRows.map { o % $0 == 0 } ?? false) || o == restart {
                x = (Double(o) + 0.5) * factor - 0.5 - offset
            }
            // trunc toward zero: the 8.10.0 origin quirk when X < 0.
            result.append((Int(x), Int(x * 64) & 63))
            x += factor
        }
        return result
    }

    /// Reduces along the columns of a uchar plane (rows are the reduced axis).
    func reduceColumns(_ plane: Plane<UInt8>, _ arithmetic: Arithmetic, regionRows: Int?, restart: Int? = nil)
        -> Plane<UInt8>
    {
        let ints = arithmetic == .orc ? orcMasks() : fixed12Masks()
        let (round, shift) = arithmetic == .orc ? (32, 6) : (2048, 12)
        let w = plane.width
        let h = plane.height
        var out = Plane<UInt8>(width: w, height: outputLength, fill: 0)
        for (o, (start, phase)) in positions(regionRows: regionRows, restart: restart).enumerated() {
            let mask = ints[phase]
            for x in 0..<w {
                var sum = 0
                for i in 0..<taps {
                    let y = min(max(start + i - pad, 0), h - 1)
                    sum += mask[i] * Int(plane[x, y])
                }
                out[x, o] = UInt8(min(max((sum + round) >> shift, 0), 255))
            }
        }
        return out
    }

    /// Float images (alpha path, §4.6): `f32(Σ c_i · p_i)` in double, no rounding or clipping.
    func reduceColumns(_ plane: Plane<Float>, regionRows: Int?, restart: Int? = nil) -> Plane<Float> {
        let w = plane.width
        let h = plane.height
        var out = Plane<Float>(width: w, height: outputLength, fill: 0)
        for (o, (start, phase)) in positions(regionRows: regionRows, restart: restart).enumerated() {
            let mask = masks[phase]
            for x in 0..<w {
                var sum = 0.0
                for i in 0..<taps {
                    let y = min(max(start + i - pad, 0), h - 1)
                    sum += mask[i] * Double(plane[x, y])
                }
                out[x, o] = Float(sum)
            }
        }
        return out
    }
}

/// A single-band image, row-major.
struct Plane<Sample> {
    var width: Int
    var height: Int
    var samples: [Sample]

    init(width: Int, height: Int, samples: [Sample]) {
        precondition(samples.count == width * height)
        self.width = width
        self.height = height
        self.samples = samples
    }

    init(width: Int, height: Int, fill: Sample) {
        self.init(width: width, height: height, samples: [Sample](repeating: fill, count: width * height))
    }

    subscript(x: Int, y: Int) -> Sample {
        get { samples[y * width + x] }
        set { samples[y * width + x] = newValue }
    }

    /// Rows become columns.
    func transposed() -> Plane<Sample> {
        var out: [Sample] = []
        out.reserveCapacity(samples.count)
        for x in 0..<width {
            for y in 0..<height { out.append(samples[y * width + x]) }
        }
        return Plane(width: height, height: width, samples: out)
    }
}

extension Plane: Equatable where Sample: Equatable {}
extension Plane: Sendable where Sample: Sendable {}
