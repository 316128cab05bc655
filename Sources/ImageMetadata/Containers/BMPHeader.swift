/// A BMP file as ImageMagick 6.9's BMP reader sees it through libvips' `magickload` — the loader
/// behind the fields of the reference data (README, "Formats"). sharp 0.26 has no BMP loader, so
/// ImageKit's pipeline gives these files no pHash and none is computed.
struct BMPHeader: Equatable, Sendable {
    var width: Int
    var height: Int
    /// ImageMagick's `matte`: an alpha mask with BI_BITFIELDS, or a 32-bit BI_RGB file with a
    /// 40-byte header whose fourth bytes are not all 0.
    var hasAlpha: Bool
    /// A V5 header's embedded profile (`PROFILE_EMBEDDED`) that ImageMagick attaches.
    var hasICC: Bool
    /// biXPelsPerMeter (0 for OS/2 headers).
    var xPixelsPerMetre: Int

    /// libvips' resolution: ImageMagick's pixels per centimetre (x / 100) in pixels per mm.
    var pixelsPerMM: Double { Double(xPixelsPerMetre) / 100.0 / 10.0 }

    enum Compression: Int {
        case rgb = 0, rle8 = 1, rle4 = 2, bitfields = 3, jpeg = 4, png = 5
    }

    /// The alpha scan reads the pixel data in blocks of this many bytes (a multiple of 4).
    static let scanBlock = 1 << 16

    /// Reads the header, colour table and pixel-data extent with ImageMagick 6.9.11's checks
    /// (coders/bmp.c `ReadBMPImage`); a file it refuses is an invalid header here too.
    static func read(_ source: ByteSource) throws(MetadataError) -> BMPHeader {
        func refuse(_ detail: String) -> MetadataError { .invalidHeader(format: .bmp, detail: detail) }
        let blobSize = source.count
        var c = LittleEndianCursor(source, at: 2)
        let fileSize = c.u32()
        _ = c.u32()
        let offsetBits = c.u32()
        let size = c.u32()
        // Debian's 6.9.11-60 refuses a stated file size beyond the real one (a smaller one only warns).
        if fileSize != 0 && fileSize > blobSize { throw refuse("the header's file size exceeds the file's") }
        var width = 0, height = 0, planes = 0, bits = 0, compression = 0, xPixels = 0, colors = 0
        var alphaMask = 0, colorSpace = 0, profileData = 0, profileSize = 0
        if size == 12 {  // OS/2 BITMAPCOREHEADER
            width = c.i16()
            height = c.i16()
            planes = c.u16()
            bits = c.u16()
        } else {
            width = c.i32()
            height = c.i32()
            planes = c.u16()
            bits = c.u16()
            compression = c.u32()
            if size > 16 {
                _ = c.u32()  // image size
                xPixels = c.u32()
                _ = c.u32()  // y pixels
                colors = c.u32()
                if colors > blobSize { throw refuse("the colour count exceeds the file size") }
                _ = c.u32()  // important colours
            }
            if size > 40 || compression == Compression.bitfields.rawValue {
                c.offset += 12  // red, green and blue masks
            }
            if size > 40 {
                alphaMask = c.u32()
                colorSpace = c.i32()
                c.offset += 36 + 12  // CIE endpoints, gamma
            }
            if size > 108 {
                _ = c.u32()  // intent
                profileData = c.u32()
                profileSize = c.u32()
            }
        }
        // ImageMagick reads the missing fields as 0 and then refuses the size; say what happened.
        if c.ended { throw MetadataError.truncatedHeader(format: .bmp, detail: "the header ends early") }
        guard width > 0, height != 0 else { throw refuse("negative or zero image size") }
        guard planes == 1 else { throw refuse("the plane count is not 1") }
        guard [1, 4, 8, 16, 24, 32].contains(bits) else { throw refuse("unsupported bits per pixel (\(bits))") }
        if bits < 16 && colors > 1 << bits { throw refuse("unrecognised number of colours") }
        guard let kind = Compression(rawValue: compression), kind != .jpeg, kind != .png else {
            throw refuse(compression == 4 || compression == 5 ? "embedded JPEG/PNG data is not supported" : "unrecognised compression (\(compression))")
        }
        if (kind == .rle8 && bits != 8) || (kind == .rle4 && bits != 4) || (kind == .bitfields && bits < 16) {
            throw refuse("unsupported bits per pixel (\(bits)) for the compression")
        }
        let columns = width, rows = abs(height)
        var hasAlpha = alphaMask != 0 && kind == .bitfields

        if bits < 16 {  // colour table, right after the header
            let entries = colors == 0 ? 1 << bits : colors
            let packet = size == 12 || size == 64 ? 3 : 4
            guard source.exactly(at: 14 + size, length: entries * packet) != nil else {
                throw refuse("insufficient image data in file")
            }
        }
        guard offsetBits != 0 else { throw refuse("no pixel data offset") }
        let effectiveBits = kind == .rle4 ? bits * 2 : bits
        let (lineBits, o1) = columns.multipliedReportingOverflow(by: effectiveBits)
        let bytesPerLine = 4 * ((lineBits + 31) / 32)
        let (length, o2) = bytesPerLine.multipliedReportingOverflow(by: rows)
        if o1 || o2 || length / 256 > blobSize { throw refuse("insufficient image data in file") }
        if kind == .rgb || kind == .bitfields {
            guard offsetBits <= blobSize, length <= blobSize - offsetBits else { throw refuse("insufficient image data in file") }
            if kind == .rgb && !hasAlpha && size == 40 && bits == 32 {
                hasAlpha = anyAlpha(source, from: offsetBits, pixels: columns * rows)
            }
        }
        var hasICC = false
        if colorSpace == 0x4D42_4544 && profileData > 0 && profileSize > 0 {  // 'MBED'
            let offset = 14 + profileData
            let afterPixels = kind == .rgb || kind == .bitfields ? offsetBits + length : 0
            guard offset >= afterPixels, offset <= blobSize, profileSize <= blobSize - offset else {
                throw refuse("the embedded profile lies outside the file")
            }
            hasICC = true
        }
        return BMPHeader(width: columns, height: rows, hasAlpha: hasAlpha, hasICC: hasICC, xPixelsPerMetre: xPixels)
    }

    /// Whether any pixel of 32-bit BI_RGB data has a non-zero fourth byte.
    private static func anyAlpha(_ source: ByteSource, from offset: Int, pixels: Int) -> Bool {
        var position = offset
        let end = offset + pixels * 4
        while position < end {
            let block = source.bytes(at: position, length: min(scanBlock, end - position))
            guard !block.isEmpty else { return false }
            var i = 3
            while i < block.count {
                if block[i] != 0 { return true }
                i += 4
            }
            position += block.count
        }
        return false
    }
}
