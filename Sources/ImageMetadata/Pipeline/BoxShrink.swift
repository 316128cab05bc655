/// libvips 8.10 `shrinkv` / `shrinkh`: integer box averages (libvips-pipeline.md §3). Edge pixels are
/// replicated to complete a last partial block, which is kept only when the rounded length asks for it.
enum BoxShrink {
    /// `rhu(N / k)`: round half up.
    static func outputLength(_ n: Int, _ k: Int) -> Int { Int(Double(n) / Double(k) + 0.5) }

    /// uchar: `(Σ + k div 2) div k`.
    @inline(__always)
    static func average(_ sum: UInt32, _ k: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (Int(sum) + k / 2) / k)
    }

    /// float: `f32(Σ / k)` with the sum in double.
    @inline(__always)
    static func average(_ sum: Double, _ k: Int) -> Float { Float(sum / Double(k)) }

    /// `shrinkh` of one uchar row.
    static func horizontal(_ row: UnsafeBufferPointer<UInt8>, _ k: Int, into out: inout [UInt8]) {
        let n = row.count
        let length = outputLength(n, k)
        for j in 0..<length {
            var sum: UInt32 = 0
            for i in (j * k)..<(j * k + k) { sum &+= UInt32(row[min(i, n - 1)]) }
            out.append(average(sum, k))
        }
    }

    /// `shrinkh` of one float row.
    static func horizontal(_ row: UnsafeBufferPointer<Float>, _ k: Int, into out: inout [Float]) {
        let n = row.count
        let length = outputLength(n, k)
        for j in 0..<length {
            var sum = 0.0
            for i in (j * k)..<(j * k + k) { sum += Double(row[min(i, n - 1)]) }
            out.append(average(sum, k))
        }
    }
}

/// A sample `shrinkv` averages, with the type its sums are kept in: uchar sums in an integer,
/// float sums in double (the alpha path).
protocol ShrinkSample {
    associatedtype Sum
    static var zeroSum: Sum { get }
    static func add(_ sample: Self, to sum: inout Sum)
    static func average(_ sum: Sum, _ k: Int) -> Self
}

extension UInt8: ShrinkSample {
    static var zeroSum: UInt32 { 0 }
    @inline(__always) static func add(_ sample: UInt8, to sum: inout UInt32) { sum &+= UInt32(sample) }
    @inline(__always) static func average(_ sum: UInt32, _ k: Int) -> UInt8 { BoxShrink.average(sum, k) }
}

extension Float: ShrinkSample {
    static var zeroSum: Double { 0 }
    @inline(__always) static func add(_ sample: Float, to sum: inout Double) { sum += Double(sample) }
    @inline(__always) static func average(_ sum: Double, _ k: Int) -> Float { BoxShrink.average(sum, k) }
}

/// `shrinkv` fed one row at a time: memory is one row of sums, whatever the height (SPEC §4, issue 4
/// "stream it"). `push` returns true when a shrunk row is ready in `output`.
struct VerticalShrink<Sample: ShrinkSample & Numeric> {
    let k: Int
    let inputHeight: Int
    let outputHeight: Int
    private var sums: [Sample.Sum]
    private var inBlock = 0
    private var emitted = 0
    private(set) var output: [Sample]

    init(width: Int, height: Int, k: Int) {
        self.k = k
        inputHeight = height
        outputHeight = BoxShrink.outputLength(height, k)
        sums = [Sample.Sum](repeating: Sample.zeroSum, count: width)
        output = [Sample](repeating: 0, count: width)
    }

    /// Adds input row `y`; on the last row a partial block is padded with copies of it when kept.
    mutating func push(_ row: UnsafeBufferPointer<Sample>, y: Int) -> Bool {
        var copies = 1
        if y == inputHeight - 1 && (inBlock + 1) < k && emitted + 1 == outputHeight {
            copies = k - inBlock
        }
        for _ in 0..<copies {
            for x in 0..<row.count { Sample.add(row[x], to: &sums[x]) }
        }
        inBlock += copies
        guard inBlock == k else { return false }
        inBlock = 0
        guard emitted < outputHeight else { return false }
        emitted += 1
        for x in 0..<sums.count {
            output[x] = Sample.average(sums[x], k)
            sums[x] = Sample.zeroSum
        }
        return true
    }
}
