#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libvips 8.10 `colourspace(B_W)` from sRGB or RGB16 (SPEC §4 step 3; libvips-pipeline.md §5): a
/// float table to linear light, weights 0.2/0.7/0.1 in double, then the 8-bit table back with linear
/// interpolation and round-half-even.
struct GreyConversion: Sendable {
    /// Linear light of each code value (`v2Y`), 256 or 65536 entries.
    let toLinear: [Float]
    /// 8-bit code of each of 256 linear steps, plus a copy of the last (`Y2v`).
    let toCode: [Int32]

    static let eightBit = GreyConversion(range: 256)
    /// The RGB16 tables (65536-entry `v2Y`, same `Y2v`); static lets are built once, on first use.
    static let sixteenBit = GreyConversion(range: 65536)

    /// `calcul_tables` of libvips 8.10 LabQ2sRGB.c for `range` code values.
    init(range: Int) {
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
    }

    /// The B_W value of one pixel.
    @inline(__always)
    func grey(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        let y = Float((0.2 * Double(toLinear[r]) + 0.7 * Double(toLinear[g])) + 0.1 * Double(toLinear[b]))
        let yf = min(max(y * Float(255), 0), 255)
        let i = Int(yf)
        let low = toCode[i]
        let v = Float(low) + Float(toCode[i + 1] - low) * (yf - Float(i))
        return UInt8(v.rounded(.toNearestOrEven))
    }
}
