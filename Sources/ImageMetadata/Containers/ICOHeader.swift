/// An ICO file as ImageMagick 6.9's ICON reader sees it through libvips' `magickload`: libvips
/// reads every icon and reports the first directory entry (README, "Formats"). sharp 0.26 has no
/// ICO loader, so no pHash is computed.
struct ICOHeader: Equatable, Sendable {
    var width: Int
    var height: Int
    var hasAlpha: Bool
    var hasICC: Bool
    /// libvips' resolution in pixels per mm: 1 (no unit) for BMP icons, the `pHYs` of PNG icons.
    var pixelsPerMM: Double

    /// ImageMagick's `MaxIcons`.
    static let maxIcons = 1024

    /// Reads the directory and checks every entry's header as ImageMagick 6.9.11 does
    /// (coders/icon.c `ReadICONImage`); the fields come from the first entry.
    static func read(_ source: ByteSource, limits: Limits = Limits()) throws(MetadataError) -> ICOHeader {
        func refuse(_ detail: String) -> MetadataError { .invalidHeader(format: .ico, detail: detail) }
        var c = LittleEndianCursor(source)
        let reserved = c.u16(), type = c.u16(), count = c.i16()
        guard reserved == 0, type == 1 || type == 2, count <= maxIcons else { throw refuse("improper image header") }
        guard count > 0 else { throw refuse("the directory lists no icon") }
        var entries: [(width: Int, height: Int, size: Int, offset: Int)] = []
        var extent = 0
        for _ in 0..<count {
            let width = c.u8(), height = c.u8()
            c.offset += 6  // colours, reserved, planes, bits per pixel
            let size = c.u32(), offset = c.u32()
            entries.append((width, height, size, offset))
            extent = max(extent, size)
        }
        guard !c.ended, extent <= source.count else {
            throw MetadataError.truncatedHeader(format: .ico, detail: "the icon directory runs past the end of the file")
        }
        var first: ICOHeader?
        for entry in entries {
            let icon = try readIcon(source, entry, limits: limits)
            if first == nil { first = icon }
        }
        return first!
    }

    private static func readIcon(
        _ source: ByteSource, _ entry: (width: Int, height: Int, size: Int, offset: Int), limits: Limits
    ) throws(MetadataError) -> ICOHeader {
        func refuse(_ detail: String) -> MetadataError { .invalidHeader(format: .ico, detail: detail) }
        var c = LittleEndianCursor(source, at: entry.offset)
        let size = c.u32()
        let bmpWidth = c.i32() & 0xFF, bmpHeight = (c.i32() / 2) & 0xFF  // kept as unsigned char
        let planes = c.u16(), bits = c.u16()
        guard !c.ended else { throw MetadataError.truncatedHeader(format: .ico, detail: "an icon lies past the end of the file") }
        if (planes == 0x4849 && bits == 0x5244) || size == 0x474E_5089 {  // "IHDR" or "\x89PNG": a PNG icon
            return try readPNGIcon(source, entry, limits: limits)
        }
        guard bits <= 32 else { throw refuse("improper image header") }
        c.offset += 12  // compression, image size, x and y pixels per metre
        let colors = c.u32()
        guard colors <= source.count else { throw refuse("insufficient image data in file") }
        var width = min(entry.width, bmpWidth), height = min(entry.height, bmpHeight)
        if width == 0 { width = 256 }
        if height == 0 { height = 256 }
        return ICOHeader(width: width, height: height, hasAlpha: true, hasICC: false, pixelsPerMM: 1)
    }

    /// A PNG icon: ImageMagick rebuilds the signature and IHDR length and reads the rest as a PNG.
    private static func readPNGIcon(
        _ source: ByteSource, _ entry: (width: Int, height: Int, size: Int, offset: Int), limits: Limits
    ) throws(MetadataError) -> ICOHeader {
        guard entry.size >= 16 else { throw MetadataError.invalidHeader(format: .ico, detail: "a PNG icon is too short") }
        guard entry.size <= limits.chunkSize else {
            throw MetadataError.overLimit(what: "PNG icon size in bytes", value: entry.size, limit: limits.chunkSize)
        }
        guard let rest = source.exactly(at: entry.offset + 12, length: entry.size - 12) else {
            throw MetadataError.truncatedHeader(format: .ico, detail: "a PNG icon runs past the end of the file")
        }
        let png = PNGChunkReader.signature + [0, 0, 0, 13] + rest
        let header: PNGHeader
        do {
            header = try PNGChunkReader.read(MemoryByteSource(png), limits: limits)
        } catch {
            throw MetadataError.invalidHeader(format: .ico, detail: "a PNG icon is unreadable: \(error.message)")
        }
        // ImageMagick's PNG reader: pHYs in pixels per metre → pixels per cm; without a unit, no resolution.
        var xres = 1.0
        if let phys = header.physical, phys.unit == 1 { xres = Double(phys.x) / 100.0 / 10.0 }
        return ICOHeader(
            width: header.width, height: header.height, hasAlpha: header.hasAlpha, hasICC: header.hasICCP, pixelsPerMM: xres)
    }
}
