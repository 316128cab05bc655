import CImageShims

/// What a container holds for the EXIF view: the TIFF block (from its header) and the extras.
struct ContainerExif {
    /// "JPEG APP1", "PNG eXIf", …
    var name: String?
    var tiff: ByteSource?
    /// File offset of the TIFF header; nil when the block is not stored as is (hex text).
    var tiffOffset: Int?
    var icc: [UInt8]?
    var xmpBytes: Int?
    var diagnostics: [Diagnostic] = []
}

/// Where each container keeps its EXIF: one function per format.
enum ExifSource {
    typealias Lookup = (ByteSource, Limits) throws(MetadataError) -> ContainerExif

    static func lookup(_ format: ImageFormat) -> Lookup? {
        switch format {
        case .jpg: return jpeg
        case .png: return png
        case .webp: return webp
        case .tiff: return tiff
        case .heic, .avif: return heif
        case .gif, .svg, .bmp, .ico: return nil
        }
    }

    /// The first APP1 `Exif\0\0` segment, as ExifTool reads it.
    static func jpeg(_ source: ByteSource, _ limits: Limits) throws(MetadataError) -> ContainerExif {
        let header = try JPEGSegmentReader.read(source)
        var found = ContainerExif(icc: header.iccProfile, xmpBytes: header.xmpBytes, diagnostics: header.diagnostics)
        if let block = header.exifBlocks.first {
            found.name = "JPEG APP1"
            found.tiff = MemoryByteSource(block)
            found.tiffOffset = header.firstExifOffset
        }
        return found
    }

    /// `eXIf`, else ImageMagick's `Raw profile type exif` (or `APP1`) text chunk.
    static func png(_ source: ByteSource, _ limits: Limits) throws(MetadataError) -> ContainerExif {
        let header = try PNGChunkReader.read(source, limits: limits)
        var found = ContainerExif(diagnostics: header.diagnostics)
        if let chunk = header.iccpChunk, let nul = chunk.firstIndex(of: 0), nul + 2 <= chunk.count {
            found.icc = zlibInflate(Array(chunk[(nul + 2)...]), limit: limits.chunkSize)
        }
        for (type, data) in header.textChunks {
            guard let text = PNGText.decode(type: type, data: data, limit: limits.chunkSize) else {
                found.diagnostics.append(Diagnostic(.pngChunk(type: type, offset: 0), "unreadable text chunk ignored"))
                continue
            }
            if text.keyword == "XML:com.adobe.xmp" {
                found.xmpBytes = text.text.count
            } else if found.tiff == nil, header.exif == nil, let profile = PNGText.rawProfile(text.text) {
                found.name = "PNG \(text.keyword)"
                found.tiff = MemoryByteSource(stripExifSignature(profile))
            }
        }
        if let exif = header.exif {
            found.name = "PNG eXIf"
            found.tiff = MemoryByteSource(stripExifSignature(exif))
            found.tiffOffset = header.exifOffset + (exif.hasPrefix(JPEGSegmentReader.exifSignature) ? 6 : 0)
        }
        return found
    }

    /// The `EXIF`, `ICCP` and `XMP ` chunks of the RIFF container (a bounded walk of its chunk list).
    static func webp(_ source: ByteSource, _ limits: Limits) throws(MetadataError) -> ContainerExif {
        var found = ContainerExif()
        var offset = 12
        var chunks = 0
        let end = min(source.count, (source.bytes(at: 4, length: 4).u32le(0) ?? 0) + 8)
        while offset + 8 <= end, chunks < 100_000 {
            chunks += 1
            let head = source.bytes(at: offset, length: 8)
            guard head.count == 8, let length = head.u32le(4) else { break }
            let fourCC = String(decoding: head[0..<4], as: UTF8.self)
            if length > end - offset - 8 {
                found.diagnostics.append(Diagnostic(.file, "WebP chunk \(fourCC) at byte \(offset) runs past the end of the file"))
            }
            let wanted = ["EXIF", "ICCP", "XMP "].contains(fourCC)
            if wanted, length > limits.chunkSize {
                throw MetadataError.overLimit(what: "WebP \(fourCC) chunk size in bytes", value: length, limit: limits.chunkSize)
            }
            if wanted {
                let data = source.bytes(at: offset + 8, length: length)
                switch fourCC {
                case "EXIF" where found.tiff == nil:
                    found.name = "WebP EXIF"
                    found.tiff = MemoryByteSource(stripExifSignature(data))
                    found.tiffOffset = offset + 8 + (data.hasPrefix(JPEGSegmentReader.exifSignature) ? 6 : 0)
                case "ICCP" where found.icc == nil: found.icc = data
                case "XMP " where found.xmpBytes == nil: found.xmpBytes = data.count
                default: break
                }
            }
            offset += 8 + length + (length & 1)
        }
        return found
    }

    /// A TIFF file's own IFDs are EXIF; its ICC profile and XMP are IFD0 tags, read with the tags.
    static func tiff(_ source: ByteSource, _ limits: Limits) throws(MetadataError) -> ContainerExif {
        ContainerExif(name: "TIFF IFD0", tiff: source, tiffOffset: 0)
    }

    /// HEIC/AVIF: the TIFF bytes of the primary image's `Exif` item, read through libheif
    /// (`HEIFExif`, ISO/IEC 23008-12 annex A.2.1); a file without one has no EXIF.
    static func heif(_ source: ByteSource, _ limits: Limits) throws(MetadataError) -> ContainerExif {
        guard let tiff = try HEIFExif.tiffPayload(source, limits: limits) else { return ContainerExif() }
        return ContainerExif(name: "HEIF Exif item", tiff: MemoryByteSource(tiff), tiffOffset: nil)
    }

    /// Some writers keep JPEG's `Exif\0\0` in front of the TIFF header.
    static func stripExifSignature(_ data: [UInt8]) -> [UInt8] {
        data.hasPrefix(JPEGSegmentReader.exifSignature) ? Array(data.dropFirst(6)) : data
    }

    /// zlib-inflated `data`, nil when damaged or larger than `limit`.
    static func zlibInflate(_ data: [UInt8], limit: Int) -> [UInt8]? {
        var capacity = min(limit, max(4096, data.count * 8))
        while true {
            var out = [UInt8](repeating: 0, count: capacity)
            let n = data.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { CImageShims_InflateAll(input.baseAddress, input.count, $0.baseAddress, capacity) }
            }
            if n >= 0 { return Array(out.prefix(Int(n))) }
            guard capacity < limit else { return nil }
            capacity = min(limit, capacity * 4)
        }
    }
}

/// PNG text chunks (PNG 1.2 §4.2.3): keyword, then plain, compressed or international text.
enum PNGText {
    static func decode(type: String, data: [UInt8], limit: Int) -> (keyword: String, text: [UInt8])? {
        guard let nul = data.firstIndex(of: 0) else { return nil }
        let keyword = String(decoding: data[..<nul], as: UTF8.self)
        let rest = Array(data[(nul + 1)...])
        switch type {
        case "tEXt": return (keyword, rest)
        case "zTXt":
            guard rest.first == 0, let text = ExifSource.zlibInflate(Array(rest.dropFirst()), limit: limit) else { return nil }
            return (keyword, text)
        default:  // iTXt: compression flag, method, language\0, translated keyword\0, text
            guard rest.count >= 2, let language = rest[2...].firstIndex(of: 0),
                let translated = rest[(language + 1)...].firstIndex(of: 0)
            else { return nil }
            let text = Array(rest[(translated + 1)...])
            if rest[0] == 0 { return (keyword, text) }
            return ExifSource.zlibInflate(text, limit: limit).map { (keyword, $0) }
        }
    }

    /// ImageMagick's raw profile: "\n<name>\n<spaces><length>\n" then hex digits over many lines.
    static func rawProfile(_ text: [UInt8]) -> [UInt8]? {
        var lines = text.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: true)
        guard lines.count == 3 else { return nil }
        let lengthText = String(decoding: lines[1], as: UTF8.self).trimmingSpaces
        guard let length = Int(lengthText), length >= 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(min(length, text.count / 2))
        var high: UInt8? = nil
        for c in lines.removeLast() {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: continue
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
                if out.count == length { break }
            } else {
                high = v
            }
        }
        return out.count == length ? out : nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}

extension Array where Element == UInt8 {
    func u32le(_ i: Int) -> Int? {
        guard i >= 0, i + 4 <= count else { return nil }
        return Int(self[i + 3]) << 24 | Int(self[i + 2]) << 16 | Int(self[i + 1]) << 8 | Int(self[i])
    }
}
