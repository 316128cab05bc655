@testable import ImageMetadata

/// Rows held in memory, handed out like a decoder would (test double for `RowDecoder`).
final class ArrayRowDecoder: RowDecoder {
    let format: RowFormat
    private let bytes: [UInt8]
    private var next = 0

    init(width: Int, height: Int, bands: Int, interpretation: PixelInterpretation, samples: [Int], sixteenBit: Bool = false) {
        format = RowFormat(width: width, height: height, bands: bands, sixteenBit: sixteenBit, interpretation: interpretation)
        if sixteenBit {
            bytes = samples.flatMap { v in withUnsafeBytes(of: UInt16(v)) { Array($0) } }
        } else {
            bytes = samples.map { UInt8($0) }
        }
    }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        let rows = min(count, format.height - next)
        let rowBytes = format.rowBytes
        bytes.withUnsafeBytes { b in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[(next * rowBytes)..<((next + rows) * rowBytes)]))
        }
        next += rows
        return rows
    }
}

/// The synthetic test image of `Tests/…/Pipeline*` (a gradient plus LCG noise), sample by sample in
/// row-major, band-interleaved order. The expected outputs in the tests were computed from the same
/// image with `shared/tools/vips_pipeline_reference.py`, which generates it with this formula:
/// x ← (x·1103515245 + 12345) mod 2³¹; noise = (x >> 8) mod (max/4 + 1);
/// gradient = (3i + 5y + 40b)·(max + 1) div (3w + 5h + 120); sample = min(max, gradient + noise).
func syntheticSamples(width w: Int, height h: Int, bands: Int, seed: Int, max maxValue: Int = 255) -> [Int] {
    var x = seed
    var out: [Int] = []
    out.reserveCapacity(w * h * bands)
    for y in 0..<h {
        for i in 0..<w {
            for b in 0..<bands {
                x = (x &* 1103515245 &+ 12345) & 0x7fff_ffff
                let noise = (x >> 8) % (maxValue / 4 + 1)
                let gradient = (i * 3 + y * 5 + b * 40) * (maxValue + 1) / (w * 3 + h * 5 + 120)
                out.append(min(maxValue, gradient + noise))
            }
        }
    }
    return out
}

/// Lowercase hex of bytes, for comparing 32×32 results with recorded ones.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}

/// The shared reference folder (`<repo>/../shared`), found from this file: the repository root is
/// three levels up.
func sharedDirectory(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/../shared"
}
