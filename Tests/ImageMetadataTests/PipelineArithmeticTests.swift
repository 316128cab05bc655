import Testing
@testable import ImageMetadata

/// Stage-by-stage checks of the libvips 8.10 arithmetic. Unless a comment says otherwise, expected
/// values come from libvips-pipeline.md (§ given) or were computed with the functions of
/// `shared/tools/vips_pipeline_reference.py` named in the comment, on the same inputs.
@Suite struct PipelineArithmeticTests {
    // §5 checks: Y2v starts 0 13 22 28 34 38 42 46 50 53 56 59 and sums to 45236 over 257 entries.
    @Test func greyTablesMatchLibvips() {
        let t = GreyConversion.eightBit
        #expect(Array(t.toCode.prefix(12)) == [0, 13, 22, 28, 34, 38, 42, 46, 50, 53, 56, 59])
        #expect(t.toCode.count == 257 && t.toCode.reduce(0, +) == 45236)
        // v2Y[1] = 0x1.3e4568p-12, v2Y[128] = 0x1.ba1516p-3
        #expect(t.toLinear[1] == Float(sign: .plus, exponent: -12, significand: Float(0x13e4568) / Float(1 << 24)))
        #expect(t.toLinear[128] == Float(sign: .plus, exponent: -3, significand: Float(0x1ba1516) / Float(1 << 24)))
    }

    @Test func greyInputsMapToThemselves() {
        let t = GreyConversion.eightBit
        #expect((0...255).allSatisfy { Int(t.grey($0, $0, $0)) == $0 })
    }

    /// The step table behind `grey` against the float formula it replaces: every 61st bit pattern from
    /// 0 to past 1.0, and the patterns on both sides of every code step.
    @Test func codeTableMatchesTheFloatFormula() {
        let t = GreyConversion.eightBit
        var mismatches = 0
        var bits: UInt32 = 0
        var previous = t.tableCode(0)
        while bits <= Float(1.5).bitPattern {
            let y = Float(bitPattern: bits)
            let code = t.tableCode(y)
            if code != GreyConversion.code(y, t.toCode) { mismatches += 1 }
            if code != previous {  // a step lies in (bits − 61, bits]: check the patterns around it
                for near in (bits - 61)...bits where t.tableCode(Float(bitPattern: near)) != GreyConversion.code(Float(bitPattern: near), t.toCode) {
                    mismatches += 1
                }
                previous = code
            }
            bits += 61
        }
        #expect(mismatches == 0)
    }

    /// `grey` against `referenceGrey` (the formula as libvips writes it) on colours from a fixed LCG.
    @Test func greyMatchesTheReferenceFormula() {
        let t = GreyConversion.eightBit
        var state: UInt64 = 7
        var mismatches = 0
        for _ in 0..<200_000 {
            state = (1_103_515_245 &* state &+ 12345) & 0x7FFF_FFFF
            let v = Int(state >> 7)
            let (r, g, b) = (v & 255, (v >> 8) & 255, (v >> 16) & 255)
            if t.grey(r, g, b) != t.referenceGrey(r, g, b) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    // vips_pipeline_reference.bw() on single pixels (uint8, then uint16 = RGB16).
    @Test(arguments: [
        ([255, 0, 0], 124), ([0, 255, 0], 218), ([0, 0, 255], 89), ([12, 200, 77], 172),
        ([250, 251, 3], 239), ([1, 2, 3], 2), ([128, 64, 200], 104),
    ])
    func greyOfColour(rgb: [Int], grey: Int) {
        #expect(Int(GreyConversion.eightBit.grey(rgb[0], rgb[1], rgb[2])) == grey)
    }

    @Test(arguments: [([65535, 0, 0], 124), ([1000, 30000, 60000], 126), ([3084, 51400, 19789], 172)])
    func greyOfColour16(rgb: [Int], grey: Int) {
        #expect(Int(GreyConversion.sixteenBit.grey(rgb[0], rgb[1], rgb[2])) == grey)
    }

    // §3: 8.10 rounds half up; pyvips 8.18 gives 0 for shrinkh(3) of [1, 1, 0], 8.10 gives 1.
    @Test func shrinkRoundsHalfUp() {
        var out: [UInt8] = []
        [UInt8(1), 1, 0].withUnsafeBufferPointer { BoxShrink.horizontal($0, 3, into: &out) }
        #expect(out == [1])
    }

    // vips_pipeline_reference.shrinkv() of the column (23·i mod 256), i = 0…10: a partial last block
    // is padded with the edge and kept when N mod k ≥ k/2 (k = 4: 3 rows), dropped otherwise (k = 3).
    @Test(arguments: [(4, [35, 127, 213]), (3, [23, 92, 161, 222])])
    func verticalShrinkEdges(k: Int, expected: [Int]) {
        var shrink = VerticalShrink<UInt8>(width: 1, height: 11, k: k)
        var got: [Int] = []
        for y in 0..<11 {
            let v = [UInt8(truncatingIfNeeded: y * 23)]
            if v.withUnsafeBufferPointer({ shrink.push($0, y: y) }) { got.append(Int(shrink.output[0])) }
        }
        #expect(got == expected)
    }

    // The float shrink of the alpha path, same column as floats 23.25·i: f32(Σ / k).
    @Test func verticalShrinkFloat() {
        var shrink = VerticalShrink<Float>(width: 1, height: 11, k: 4)
        var got: [Float] = []
        for y in 0..<11 {
            let v = [Float(Double(y) * 23.25)]
            if v.withUnsafeBufferPointer({ shrink.push($0, y: y) }) { got.append(shrink.output[0]) }
        }
        #expect(got == [34.875, 127.875, 215.0625])
    }

    // §12 checks of resize_plan(), plus finding 7 (W = 5952 shrinks by 92, not ⌊5952/64⌋ = 93).
    @Test func resizePlans() throws {
        let a = try #require(ResizePlan(width: 2624, height: 3936))
        #expect(a.shrinkV == 61 && a.shrinkH == 41 && a.reduceV == 2.0163934426229506 && a.reduceH == 2.0)
        let b = try #require(ResizePlan(width: 2430, height: 3038))
        #expect(b.shrinkV == 47 && b.shrinkH == 37 && b.reduceV == 2.0199468085106385 && b.reduceH == 2.052364864864865)
        let c = try #require(ResizePlan(width: 300, height: 400))
        #expect(c.shrinkV == 6 && c.shrinkH == 4 && c.reduceV == 2.0833333333333335 && c.reduceH == 2.34375)
        #expect(ResizePlan(width: 5952, height: 64)?.shrinkH == 92)
        #expect(ResizePlan(width: 32, height: 32) == nil)
    }

    // §12 upsizing plans: (20, 100) reducev 3.125 then an x-only upsize of 1.6; (16, 16) both axes
    // ×2; (10, 300) shrinkv 4, reducev 2.34375, x-only ×3.2.
    @Test func upsizePlans() throws {
        let a = try #require(ResizePlan(width: 20, height: 100))
        #expect(a.reduceV == 3.125 && a.reduceH == nil && a.upsize?.h == 1.6 && a.upsize?.v == 0.32)
        let b = try #require(ResizePlan(width: 16, height: 16))
        #expect(b.upsize?.h == 2.0 && b.upsize?.v == 2.0 && b.reduceV == nil)
        let c = try #require(ResizePlan(width: 10, height: 300))
        #expect(c.shrinkV == 4 && c.reduceV == 2.34375 && c.upsize?.h == 3.2)
    }

    // §1 step 4: shrink-on-load only for (near-)square JPEGs, halved for exact multiples of 32.
    @Test func shrinkOnLoad() {
        #expect(sharpShrinkOnLoad(width: 65, height: 65) == 2)
        #expect(sharpShrinkOnLoad(width: 640, height: 640) == 4)  // 20 = exact: 8 → 4
        #expect(sharpShrinkOnLoad(width: 1000, height: 1010) == 8)
        #expect(sharpShrinkOnLoad(width: 2624, height: 3936) == 1)
    }

    // §15.1 and `Limits.pixels`: sharp's 0x3FFF² by default, on the true product (65536² does not wrap).
    @Test func pixelLimit() {
        let limits = Limits()
        #expect(throws: MetadataError.overLimit(what: "pixel count", value: 280_000_000, limit: 268_402_689)) {
            try PHashReader.checkPixelLimit(width: 20000, height: 14000, limits)
        }
        #expect(throws: Never.self) { try PHashReader.checkPixelLimit(width: 16383, height: 16383, limits) }
        #expect(throws: MetadataError.self) { try PHashReader.checkPixelLimit(width: 65536, height: 65536, limits) }
        var raised = Limits()
        raised.pixels = 300_000_000
        #expect(throws: Never.self) { try PHashReader.checkPixelLimit(width: 20000, height: 14000, raised) }
    }

    // §4.2 example masks for s = 2.0 (n = 13), phases 0 and 32, C and orc forms.
    @Test func lanczosMasks() {
        let r = LanczosReducer(factor: 2.0, inputLength: 200)
        #expect(r.taps == 13)
        let c = r.fixed12Masks()
        let o = r.orcMasks()
        #expect(c[0] == [15, 61, -139, -272, 555, 1828, 1828, 555, -272, -139, 61, 15, 0])
        #expect(c[32] == [0, 49, 0, -277, 0, 1248, 2053, 1248, 0, -277, 0, 49, 0])
        #expect(o[0] == [0, 1, -2, -4, 9, 28, 28, 9, -4, -2, 1, 0, 0])
        #expect(o[32] == [0, 1, 0, -4, 0, 19, 32, 19, 0, -4, 0, 1, 0])
        #expect(o.allSatisfy { $0.reduce(0, +) == 64 })
    }

    // §12: W = 3000 (ih 46) starts at (0, 59), (1, 60), (3, 63): the origin quirk of §4.4.
    @Test func reducePositionsOriginQuirk() {
        let r = LanczosReducer(factor: 2.0380434782608696, inputLength: 65)
        let p = r.positions(regionRows: nil).prefix(3).map { [$0.start, $0.phase] }
        #expect(p == [[0, 59], [1, 60], [3, 63]])
    }

    // _Reducer(…).positions() for H = 98 (s = 3.0625000000000004): row 10 lands on a 1/64 boundary,
    // so accumulating from row 0 gives phase 9 and recomputing per row gives phase 10 (§9).
    @Test func reducePositionsDependOnRegions() {
        let s = 1.0 / (1.0 / (98 / 32.0))
        let r = LanczosReducer(factor: s, inputLength: 98)
        let one = r.positions(regionRows: nil)[10]
        let perRow = r.positions(regionRows: 1)[10]
        #expect(one.start == 31 && one.phase == 9)
        #expect(perRow.start == 31 && perRow.phase == 10)
        #expect(r.positions(regionRows: 16)[10].phase == 9)
    }

    // §13: Catmull–Rom integer weights and the W = 20 column positions.
    @Test func bicubicWeights() {
        #expect(BicubicUpsize.fixedWeights[1] == [-31, 4093, 33, 0])
        #expect(BicubicUpsize.fixedWeights[8] == [-196, 3948, 372, -28])
        #expect(BicubicUpsize.fixedWeights[16] == [-288, 3552, 928, -96])
        #expect(BicubicUpsize.fixedWeights[32] == [-256, 2304, 2304, -256])
        #expect(BicubicUpsize.fixedWeights[0] == [0, 4096, 0, 0])
        let columns = BicubicUpsize.positions(width: 20, height: 32, hscale: 1.6, vscale: 1.0).columns
        #expect(columns.prefix(5).map { [$0.0, $0.1] } == [[1, 32], [2, 8], [2, 48], [3, 24], [4, 0]])
    }

    // §13 "Regions": an x-only upsize below reducev in 16-row strips restarts reducev at row 14.
    @Test func upsizeRegionRestart() {
        #expect(PixelPipeline.upsizeRegionRestart(hscale: 1.6, regionRows: 16) == 14)
        #expect(PixelPipeline.upsizeRegionRestart(hscale: 1.6, regionRows: nil) == nil)
    }

    // §1 table, numpy rot90(k = −1) for 90° clockwise; on a 3 × 2 image [[1 2 3] [4 5 6]].
    @Test(arguments: [
        (1, 3, [1, 2, 3, 4, 5, 6]), (2, 3, [3, 2, 1, 6, 5, 4]), (3, 3, [6, 5, 4, 3, 2, 1]),
        (4, 3, [4, 5, 6, 1, 2, 3]), (5, 2, [1, 4, 2, 5, 3, 6]), (6, 2, [4, 1, 5, 2, 6, 3]),
        (7, 2, [6, 3, 5, 2, 4, 1]), (8, 2, [3, 6, 2, 5, 1, 4]),
    ])
    func orientation(value: Int, width: Int, expected: [Int]) {
        let p = Orientation.apply(Plane(width: 3, height: 2, samples: [1, 2, 3, 4, 5, 6]), orientation: value)
        #expect(p.width == width && p.samples == expected)
    }

    // libvips prints IFD0 Orientation and reads it back with atoi (§16).
    @Test func orientationText() {
        #expect(ExifOrientation.atoi(Array("6".utf8)) == 6)
        #expect(ExifOrientation.atoi(Array(" -3x".utf8)) == -3)
        #expect(ExifOrientation.atoi(Array("Top-left".utf8)) == 0)
    }
}
