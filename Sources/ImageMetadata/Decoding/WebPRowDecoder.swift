import CImageShims

/// Frame 1 of a WebP on its canvas, as libvips 8.10 delivers it (§15.5): decoded as RGBA at
/// 1/`shrink` scale (sizes and offsets `rint`-ed), painted onto a zeroed canvas — through
/// `blend_pixel(A, 0)` when the frame's blend method says so, which lowers every colour of an
/// opaque pixel by one — and given 3 or 4 bands.
final class WebPRowDecoder: RowDecoder {
    let format: RowFormat
    private let file: WebPFormat
    private let area: (left: Int, top: Int, width: Int, height: Int)
    private var frameRow: [UInt8]
    private var canvasRow: [UInt8]
    private var nextRow = 0

    init(_ file: WebPFormat, shrink: Int, inMemoryBytes: Int = Limits().inMemoryImageBytes) throws(PixelError) {
        self.file = file
        let scale = 1.0 / Double(shrink)
        func scaled(_ v: Int) -> Int { Int((Double(v) * scale).rounded(.toNearestOrEven)) }
        let width = scaled(file.canvasWidth)
        let height = scaled(file.canvasHeight)
        area = (scaled(file.frame.x), scaled(file.frame.y), scaled(file.frame.width), scaled(file.frame.height))
        guard width > 0, height > 0, width <= 0x3FFF, height <= 0x3FFF else {
            throw PixelError("webp: bad image dimensions")
        }
        try file.start(width: area.width, height: area.height, scaled: shrink != 1, inMemoryBytes: inMemoryBytes)
        frameRow = [UInt8](repeating: 0, count: area.width * 4)
        canvasRow = [UInt8](repeating: 0, count: width * 4)
        format = RowFormat(width: width, height: height, bands: file.hasAlpha ? 4 : 3, sixteenBit: false, interpretation: .sRGB)
    }

    func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(PixelError) -> Int {
        guard let base = buffer.baseAddress, buffer.count >= count * format.rowBytes else {
            throw PixelError("webp2vips: row buffer too small")
        }
        let bands = format.bands
        let width = format.width
        var done = 0
        while done < count && nextRow < format.height {
            for i in canvasRow.indices { canvasRow[i] = 0 }
            if nextRow >= area.top && nextRow < area.top + area.height {
                try readFrameRow()
                paint()
            }
            let out = (base + done * format.rowBytes).assumingMemoryBound(to: UInt8.self)
            canvasRow.withUnsafeBufferPointer { c in
                for x in 0..<width {
                    for b in 0..<bands { out[x * bands + b] = c[x * 4 + b] }
                }
            }
            nextRow += 1
            done += 1
        }
        return done
    }

    private func readFrameRow() throws(PixelError) {
        let got = frameRow.withUnsafeMutableBufferPointer { f in
            CImageShims_WebPReadRows(file.handle, f.baseAddress!, f.count, 1, f.count)
        }
        guard got == 1 else { throw PixelError("webp2vips: " + String(cString: CImageShims_WebPMessage(file.handle))) }
    }

    /// `vips_image_paint_image` of frame 1 over the zeroed canvas row.
    private func paint() {
        let from = max(0, area.left)
        let to = min(format.width, area.left + area.width)
        guard from < to else { return }
        for x in from..<to {
            let f = (x - area.left) * 4
            let c = x * 4
            if !file.frame.blends {
                for b in 0..<4 { canvasRow[c + b] = frameRow[f + b] }
                continue
            }
            let alpha = Int(frameRow[f + 3])
            guard alpha != 0 else { continue }  // blend_pixel keeps the (zero) canvas
            let scale = (1 << 24) / alpha
            for b in 0..<3 { canvasRow[c + b] = UInt8(truncatingIfNeeded: (Int(frameRow[f + b]) * alpha * scale) >> 24) }
            canvasRow[c + 3] = UInt8(alpha)
        }
    }
}
