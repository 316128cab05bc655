/// sharp 0.26 `greyscale().resize(32, 32, {fit: 'fill'}).rotate().raw()` on libvips 8.10.0 (SPEC §4
/// steps 1–5; libvips-pipeline.md §1): decoded rows → B_W → streaming shrink → reduce / upsize →
/// unpremultiply → orientation, giving the 32×32 grey pixels of the hash.
enum PixelPipeline {
    static let side = 32
    /// Rows decoded per call.
    static let batchRows = 16

    /// Everything the pipeline needs to know about one image.
    struct Input {
        var decoder: RowDecoder
        /// Embedded ICC profile.
        var profile: [UInt8]?
        /// EXIF orientation, 1–8.
        var orientation: Int
        /// How the loader asks libvips for pixels, which sets reducev's regions (§9).
        var demand: LoaderDemand
        /// When the decode must stop (`Limits.seconds`).
        var deadline: ContinuousClock.Instant = .now + .seconds(Int64(Limits().seconds))
        var seconds: Double = Limits().seconds
    }

    static func pixels(_ input: Input) throws(PixelError) -> Plane<UInt8> {
        let format = input.decoder.format
        let grey = try GreyRows(format: format, profile: input.profile)
        let plan = ResizePlan(width: format.width, height: format.height, target: side)
        let withAlpha = grey.hasAlpha && plan != nil  // premultiply only when a resize follows (§1 step 7)
        var shrink = StreamingShrink(
            width: format.width, height: format.height, plan: plan ?? ResizePlan(), alpha: withAlpha)

        let rowBytes = format.rowBytes
        let batch = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, rowBytes * batchRows), alignment: 16)
        defer { batch.deallocate() }
        var greyRow = [UInt8](repeating: 0, count: format.width)
        var alphaRow = [UInt8](repeating: 0, count: format.width)
        var y = 0
        while y < format.height {
            if ContinuousClock.now > input.deadline { throw PixelError.timeLimit(input.seconds) }
            let got = try input.decoder.readRows(into: batch, count: min(batchRows, format.height - y))
            guard got > 0 else { throw PixelError("the decoder stopped at row \(y) of \(format.height)") }
            for r in 0..<got {
                greyRow.withUnsafeMutableBufferPointer { g in
                    alphaRow.withUnsafeMutableBufferPointer { a in
                        grey.convert(batch.baseAddress! + r * rowBytes, grey: g.baseAddress!, alpha: withAlpha ? a.baseAddress! : nil)
                    }
                }
                greyRow.withUnsafeBufferPointer { g in
                    alphaRow.withUnsafeBufferPointer { a in
                        shrink.push(grey: g, alpha: withAlpha ? a : nil)
                    }
                }
            }
            y += got
        }

        let resized: Plane<UInt8>
        let shrunkWidth = shrink.outputWidth
        if let plan {
            let regionRows = plan.regionRows(demand: input.demand, orientation: input.orientation)
            if withAlpha {
                let g = resizeTail(Plane(width: shrunkWidth, height: shrink.rows, samples: shrink.greyFloat), plan, regionRows)
                let a = resizeTail(Plane(width: shrunkWidth, height: shrink.rows, samples: shrink.alphaFloat), plan, regionRows)
                resized = unpremultiply(g, a)
            } else {
                resized = resizeTail(Plane(width: shrunkWidth, height: shrink.rows, samples: shrink.grey), plan, regionRows)
            }
        } else {
            resized = Plane(width: format.width, height: format.height, samples: shrink.grey)
        }
        return Orientation.apply(resized, orientation: input.orientation)
    }

    /// The steps after the shrink (§2 steps 5–7): reducev, reduceh, then the upsize, with the region
    /// restart that an x-only upsize below reducev causes (§13 "Regions").
    static func resizeTail<S: ResampleSample>(_ shrunk: Plane<S>, _ plan: ResizePlan, _ regionRows: Int?) -> Plane<S> {
        var img = shrunk
        var parts: [(firstRow: Int, plane: Plane<S>)]? = nil
        if let factor = plan.reduceV {
            let reducer = LanczosReducer(factor: factor, inputLength: img.height)
            if let up = plan.upsize, up.h > 1.0 {
                var list = [(0, S.reduce(img, reducer, orc: true, regionRows: nil, restart: nil))]
                if let restart = upsizeRegionRestart(hscale: up.h, regionRows: regionRows) {
                    list.append((16, S.reduce(img, reducer, orc: true, regionRows: nil, restart: restart)))
                }
                parts = list
            } else {
                img = S.reduce(img, reducer, orc: true, regionRows: regionRows, restart: nil)
            }
        }
        if let factor = plan.reduceH {
            // reduceh: C arithmetic, each row one region from column 0.
            let reducer = LanczosReducer(factor: factor, inputLength: img.width)
            img = S.reduce(img.transposed(), reducer, orc: false, regionRows: nil, restart: nil).transposed()
        }
        if let up = plan.upsize {
            let hs = up.h > 1.0 ? up.h : 1.0
            let vs = up.v > 1.0 ? up.v : 1.0
            if let parts {
                let outs = parts.map { S.upsize($0.plane, hscale: hs, vscale: vs) }
                let bounds = parts.map(\.firstRow) + [outs[0].height]
                var samples: [S] = []
                for (i, out) in outs.enumerated() {
                    samples += out.samples[(bounds[i] * out.width)..<(bounds[i + 1] * out.width)]
                }
                img = Plane(width: outs[0].width, height: outs[0].height, samples: samples)
            } else {
                img = S.upsize(img, hscale: hs, vscale: vs)
            }
        } else if let parts {
            img = parts[0].plane
        }
        return img
    }

    /// The reducev row at which a second region starts when an x-only upsize reads it in 16-row
    /// strips (`affine_region_restart`, §13); nil when the whole result is one region.
    static func upsizeRegionRestart(hscale: Double, regionRows: Int?) -> Int? {
        guard let rows = regionRows, rows < 32 else { return nil }
        let det = hscale * 1.0 - 0.0 * 0.0
        let id = (1.0 / det) * hscale
        let top = Int(id * 16 + 0.5 + 0.5)
        return max(0, top - 3)
    }

    /// §4.8 / §1 step 10: unpremultiply (`f32(f32(255/α) · g)`, 0 where α = 0), then `cast(UCHAR)`,
    /// which clips and truncates.
    static func unpremultiply(_ g: Plane<Float>, _ a: Plane<Float>) -> Plane<UInt8> {
        var out = Plane<UInt8>(width: g.width, height: g.height, fill: 0)
        for i in 0..<g.samples.count {
            let alpha = a.samples[i]
            guard alpha != 0 else { continue }
            let factor = Float(255.0 / Double(alpha))
            let v = factor * g.samples[i]
            out.samples[i] = UInt8(min(max(v, 0), 255))
        }
        return out
    }
}

/// The two sample types the resampler runs on: uchar (fixed point) and float (alpha path).
protocol ResampleSample {
    static func reduce(_ p: Plane<Self>, _ r: LanczosReducer, orc: Bool, regionRows: Int?, restart: Int?) -> Plane<Self>
    static func upsize(_ p: Plane<Self>, hscale: Double, vscale: Double) -> Plane<Self>
}

extension UInt8: ResampleSample {
    static func reduce(_ p: Plane<UInt8>, _ r: LanczosReducer, orc: Bool, regionRows: Int?, restart: Int?) -> Plane<UInt8> {
        r.reduceColumns(p, orc ? .orc : .fixed12, regionRows: regionRows, restart: restart)
    }
    static func upsize(_ p: Plane<UInt8>, hscale: Double, vscale: Double) -> Plane<UInt8> {
        BicubicUpsize.resample(p, hscale: hscale, vscale: vscale)
    }
}

extension Float: ResampleSample {
    static func reduce(_ p: Plane<Float>, _ r: LanczosReducer, orc: Bool, regionRows: Int?, restart: Int?) -> Plane<Float> {
        r.reduceColumns(p, regionRows: regionRows, restart: restart)
    }
    static func upsize(_ p: Plane<Float>, hscale: Double, vscale: Double) -> Plane<Float> {
        BicubicUpsize.resample(p, hscale: hscale, vscale: vscale)
    }
}
