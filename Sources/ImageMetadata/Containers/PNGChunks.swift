/// What the chunks of a PNG file say (SPEC §2). Pixel data (IDAT) is skipped, not read.
package struct PNGHeader: Sendable {
    package var width = 0
    package var height = 0
    package var bitDepth = 0
    /// 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
    package var colorType = 0
    package var interlaced = false
    package var hasTRNS = false
    package var hasICCP = false
    /// pHYs: pixels per unit X/Y and the unit (0 unknown, 1 metre).
    package var physical: (x: Int, y: Int, unit: Int)? = nil
    /// Raw TIFF data of an `eXIf` chunk.
    package var exif: [UInt8]? = nil
    /// File offset of the `eXIf` chunk's data.
    package var exifOffset = 0
    /// Data of the first iCCP chunk and of the first text chunk (tEXt, zTXt, iTXt) of each
    /// keyword in `PNGChunkReader.keptKeywords`, as stored (keyword included).
    package var iccpChunk: [UInt8]? = nil
    package var textChunks: [(type: String, data: [UInt8])] = []
    package var diagnostics: [Diagnostic] = []

    /// Colour types 4 and 6 carry alpha; a `tRNS` chunk adds it to the others (libvips `hasAlpha`).
    package var hasAlpha: Bool { colorType == 4 || colorType == 6 || hasTRNS }
}

enum PNGChunkReader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Text chunks kept for the EXIF view: ImageMagick's hex EXIF profiles and the XMP packet.
    static let keptKeywords = ["Raw profile type exif", "Raw profile type APP1", "XML:com.adobe.xmp"].map {
        Array($0.utf8) + [0]
    }
    /// An iCCP chunk counts as a colour profile when its keyword is valid (1–79 Latin-1 characters),
    /// its compression method is 0 and the profile starts with a valid zlib header, as the PNG
    /// reader of libvips requires before it attaches the profile (SPEC §2 `hasColorProfile`).
    static func isUsableICCP(_ head: [UInt8]) -> Bool {
        guard let nul = head.firstIndex(of: 0), (1...79).contains(nul), nul + 3 < head.count else { return false }
        guard head[..<nul].allSatisfy({ (32...126).contains($0) || $0 >= 161 }) else { return false }
        let method = head[nul + 1], cmf = Int(head[nul + 2]), flg = Int(head[nul + 3])
        return method == 0 && cmf & 0x0F == 8 && cmf >> 4 <= 7 && (cmf << 8 | flg) % 31 == 0
    }

    static func read(_ source: ByteSource, limits: Limits = Limits(), deadline: PHashReader.Deadline? = nil)
        throws(MetadataError) -> PNGHeader
    {
        var header = PNGHeader()
        let size = source.count
        var offset = signature.count
        var sawHeader = false
        let deadline = deadline ?? PHashReader.Deadline(limits)
        var chunks = 0
        while offset < size {
            chunks += 1
            if chunks % 4096 == 0 && deadline.expired { throw MetadataError.timeLimit(seconds: limits.seconds) }
            guard let head = source.exactly(at: offset, length: 8) else {
                header.diagnostics.append(Diagnostic(.file, "the file ends inside a chunk header at byte \(offset)"))
                break
            }
            let length = head.u32be(0)!
            let type = String(decoding: head[4..<8], as: UTF8.self)
            let chunkStart = offset
            let dataStart = offset + 8
            guard length <= 0x7FFF_FFFF else {
                if !sawHeader {
                    throw MetadataError.invalidHeader(format: .png, detail: "chunk \(type) at byte \(chunkStart) has length \(length)")
                }
                header.diagnostics.append(Diagnostic(.pngChunk(type: type, offset: chunkStart), "invalid length \(length)"))
                break
            }
            if !sawHeader {
                guard type == "IHDR" else {
                    throw MetadataError.invalidHeader(format: .png, detail: "the first chunk is \(type), not IHDR")
                }
                guard length == 13, let p = source.exactly(at: dataStart, length: 13) else {
                    throw MetadataError.truncatedHeader(format: .png, detail: "the IHDR chunk is incomplete")
                }
                header.width = p.u32be(0)!
                header.height = p.u32be(4)!
                header.bitDepth = Int(p[8])
                header.colorType = Int(p[9])
                header.interlaced = p[12] != 0
                guard header.width > 0, header.height > 0, header.width <= 0x7FFF_FFFF, header.height <= 0x7FFF_FFFF
                else {
                    throw MetadataError.invalidHeader(
                        format: .png, detail: "IHDR gives \(header.width)×\(header.height) pixels")
                }
                guard [0, 2, 3, 4, 6].contains(header.colorType) else {
                    throw MetadataError.invalidHeader(format: .png, detail: "IHDR colour type \(header.colorType)")
                }
                sawHeader = true
            } else {
                let available = size - dataStart
                if length > available {
                    header.diagnostics.append(
                        Diagnostic(.pngChunk(type: type, offset: chunkStart),
                            "chunk of \(length) bytes is cut off by the end of the file at byte \(size)"))
                }
                switch type {
                case "tRNS": header.hasTRNS = true
                case "iCCP" where !header.hasICCP:
                    if length <= limits.chunkSize { header.iccpChunk = source.exactly(at: dataStart, length: length) }
                    let head = source.bytes(at: dataStart, length: min(length, 82))
                    header.hasICCP = isUsableICCP(head)
                    if !header.hasICCP {
                        header.diagnostics.append(
                            Diagnostic(.pngChunk(type: type, offset: chunkStart), "unreadable ICC profile ignored"))
                    }
                case "pHYs" where length == 9:
                    if let p = source.exactly(at: dataStart, length: 9) {
                        header.physical = (p.u32be(0)!, p.u32be(4)!, Int(p[8]))
                    }
                case "eXIf" where header.exif == nil:
                    guard length <= limits.chunkSize else {
                        throw MetadataError.overLimit(what: "eXIf chunk size in bytes", value: length, limit: limits.chunkSize)
                    }
                    header.exif = source.exactly(at: dataStart, length: length)
                    header.exifOffset = dataStart
                case "tEXt", "zTXt", "iTXt":
                    let head = source.bytes(at: dataStart, length: 32)
                    if length <= limits.chunkSize, let keyword = keptKeywords.first(where: { head.hasPrefix($0) }),
                        !header.textChunks.contains(where: { $0.data.hasPrefix(keyword) }),
                        let data = source.exactly(at: dataStart, length: length)
                    {
                        header.textChunks.append((type, data))
                    }
                case "IEND": return header
                default: break
                }
            }
            offset = dataStart + length + 4  // data and CRC
        }
        return header
    }
}
