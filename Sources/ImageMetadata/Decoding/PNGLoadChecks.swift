import CImageShims

/// The PNG errors of libspng 0.6.0 as libvips 8.10 drives it (`fail = TRUE`, with sharp's patch), for
/// the parts libpng judges differently (libvips-pipeline.md §15.1): every chunk before the first IDAT
/// must pass libspng's checks, CRC included, and so must the CRC of every IDAT that the decoder
/// leaves for the next one. The IDAT stream itself is left to libpng, with its Adler-32 check off and
/// the last IDAT's CRC ignored, as libspng 0.6.0 never reaches them.
enum PNGLoadChecks {
    static let maxLength = 0x7FFF_FFFF
    static let smallChunks: Set<String> = ["PLTE", "cHRM", "gAMA", "sBIT", "sRGB", "bKGD", "tRNS", "hIST", "pHYs", "tIME", "oFFs"]
    static let unique: Set<String> = ["cHRM", "gAMA", "sBIT", "sRGB", "bKGD", "hIST", "pHYs", "tIME", "oFFs", "iCCP", "eXIf"]

    /// Linear in the number of chunks; the deadline is checked every 1024 chunks and while
    /// compressed chunks are inflated (`PNGInflateBudget`).
    static func check(_ source: ByteSource, _ deadline: PHashReader.Deadline = .init(Limits())) throws(PixelError) {
        let n = source.count
        guard n >= 33, let head = source.exactly(at: 0, length: 33), head.hasPrefix(PNGChunkReader.signature) else {
            throw fail("invalid signature")
        }
        guard head.u32be(8) == 13, head.hasPrefix(Array("IHDR".utf8), at: 12) else { throw fail("invalid IHDR") }
        let w = head.u32be(16)!, h = head.u32be(20)!
        let depth = Int(head[24]), ct = Int(head[25])
        guard (1...10_000_000).contains(w), (1...10_000_000).contains(h) else { throw fail("invalid image size") }
        let depths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let allowed = depths[ct] else { throw fail("invalid color type") }
        guard allowed.contains(depth), head[26] == 0, head[27] == 0, head[28] <= 1 else { throw fail("invalid IHDR field") }

        var seen: Set<String> = []
        var paletteEntries = 0
        var splt: Set<[UInt8]> = []
        var budget = PNGInflateBudget(deadline)
        var chunk = (length: 13, type: "IHDR", start: 8)
        var chunks = 0
        while true {
            chunks += 1
            if chunks % 1024 == 0 { try deadline.check() }
            try checkCRC(source, chunk)
            let pos = chunk.start + 12 + chunk.length
            guard let header = source.exactly(at: pos, length: 8) else { throw fail("end of stream") }
            let length = header.u32be(0)!
            let type = String(decoding: header[4..<8], as: UTF8.self)
            guard length <= maxLength else { throw fail("invalid chunk length") }
            chunk = (length, type, pos)
            if type == "IDAT" {
                if ct == 3 && !seen.contains("PLTE") { throw fail("missing palette") }
                break
            }
            let bodyStart = pos + 8
            let available = max(0, min(length, n - bodyStart))
            if smallChunks.contains(type) {
                if length == 0 { throw fail("invalid argument") }
                if available < min(length, 768) { throw fail("end of stream") }
                if length > 768 { throw fail("invalid chunk checksum") }
            }
            let body = source.bytes(at: bodyStart, length: min(available, 4096))
            if header[4] & 0x20 == 0 {  // critical
                switch type {
                case "PLTE":
                    if !seen.isDisjoint(with: ["tRNS", "hIST", "bKGD"]) { throw fail("invalid chunk position") }
                    if length % 3 != 0 { throw fail("invalid chunk length") }
                    paletteEntries = length / 3
                    if paletteEntries > 256 || (ct == 3 && paletteEntries > 1 << depth) { throw fail("invalid chunk length") }
                    seen.insert("PLTE")
                case "IEND", "IHDR": throw fail("invalid chunk position")
                default: throw fail("unknown critical chunk")
                }
                continue
            }
            if ["cHRM", "gAMA", "sBIT", "sRGB", "iCCP"].contains(type) && seen.contains("PLTE") {
                throw fail("invalid chunk position")
            }
            if type == "hIST" && !seen.contains("PLTE") { throw fail("hIST without PLTE") }
            if (unique.contains(type) || type == "tRNS") && seen.contains(type) { throw fail("duplicate \(type) chunk") }
            try checkAncillary(
                type, length: length, body: body, available: available, source: source, bodyStart: bodyStart,
                ct: ct, depth: depth, paletteEntries: paletteEntries, seen: &seen, splt: &splt, budget: &budget)
        }
        // IDATs left for the next one: all of the run but the last.
        while true {
            chunks += 1
            if chunks % 1024 == 0 { try deadline.check() }
            let pos = chunk.start + 12 + chunk.length
            guard let header = source.exactly(at: pos, length: 8), header.hasPrefix(Array("IDAT".utf8), at: 4),
                let length = header.u32be(0), length <= maxLength
            else { return }
            try checkCRC(source, chunk)
            chunk = (length, "IDAT", pos)
        }
    }

    private static func checkAncillary(
        _ type: String, length: Int, body: [UInt8], available: Int, source: ByteSource, bodyStart: Int,
        ct: Int, depth: Int, paletteEntries: Int, seen: inout Set<String>, splt: inout Set<[UInt8]>,
        budget: inout PNGInflateBudget
    ) throws(PixelError) {
        let complete = available >= length
        switch type {
        case "cHRM":
            guard length == 32 else { throw fail("invalid chunk length") }
            if (0..<8).contains(where: { body.u32be(4 * $0)! > maxLength }) { throw fail("invalid cHRM chunk") }
        case "gAMA":
            guard length == 4 else { throw fail("invalid chunk length") }
            if body.u32be(0)! == 0 || body.u32be(0)! > maxLength { throw fail("invalid gAMA chunk") }
        case "sBIT":
            let need = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4][ct]!
            guard length == need else { throw fail("invalid chunk length") }
            let limit = ct == 3 ? 8 : depth
            if body.prefix(need).contains(where: { $0 == 0 || Int($0) > limit }) { throw fail("invalid sBIT chunk") }
        case "sRGB":
            guard length == 1 else { throw fail("invalid chunk length") }
            if body[0] > 3 { throw fail("invalid sRGB chunk") }
        case "bKGD":
            if ([0, 4].contains(ct) && length != 2) || ([2, 6].contains(ct) && length != 6) { throw fail("invalid chunk length") }
            if ct == 3 {
                guard length == 1 else { throw fail("invalid chunk length") }
                guard seen.contains("PLTE") else { throw fail("bKGD without PLTE") }
                if Int(body[0]) >= paletteEntries { throw fail("invalid bKGD palette index") }
            }
        case "tRNS":
            if (ct == 0 && length != 2) || (ct == 2 && length != 6) { throw fail("invalid chunk length") }
            if ct == 3 {
                if length > paletteEntries { throw fail("invalid chunk length") }
                guard seen.contains("PLTE") else { throw fail("tRNS without PLTE") }
            }
            if ct == 4 || ct == 6 { return }  // sharp's patch: ignored, not recorded
        case "hIST":
            if length / 2 != paletteEntries { throw fail("invalid chunk length") }
        case "pHYs":
            guard length == 9 else { throw fail("invalid chunk length") }
            if body[8] > 1 || body.u32be(0)! > maxLength || body.u32be(4)! > maxLength { throw fail("invalid pHYs chunk") }
        case "tIME":
            guard length == 7 else { throw fail("invalid chunk length") }
            let (mo, dd, hh, mi, ss) = (body[2], body[3], body[4], body[5], body[6])
            if !((1...12).contains(mo) && (1...31).contains(dd) && hh <= 23 && mi <= 59 && ss <= 60) {
                throw fail("invalid tIME chunk")
            }
        case "oFFs":
            guard length == 9 else { throw fail("invalid chunk length") }
            if body[8] > 1 { throw fail("invalid oFFs chunk") }
        case "eXIf":
            seen.insert(type)
            guard complete else { throw fail("end of stream") }
            if length < 4 || !(body.hasPrefix([0x49, 0x49, 0x2A, 0]) || body.hasPrefix([0x4D, 0x4D, 0, 0x2A])) {
                throw fail("invalid eXIf chunk")
            }
            return
        case "iCCP":
            guard length > 0 else { throw fail("invalid chunk length") }
            seen.insert(type)
            let peek = Array(body.prefix(min(81, length)))
            if peek.count < min(81, length) { throw fail("end of stream") }
            guard let k = peek.firstIndex(of: 0), k <= 79, keywordOK(peek[..<k]) else { throw fail("invalid iCCP profile name") }
            if length < k + 2 { throw fail("invalid chunk length") }
            if peek[k + 1] != 0 { throw fail("invalid iCCP compression method") }
            guard complete else { throw fail("end of stream") }
            if !(try budget.passes(source, from: bodyStart + k + 2, to: bodyStart + length)) { throw fail("zlib error") }
            return
        case "tEXt", "zTXt", "iTXt":
            guard length > 0 else { throw fail("invalid chunk length") }
            let peek = Array(body.prefix(min(256, length)))
            if peek.count < min(256, length) { throw fail("end of stream") }
            guard let k = peek.prefix(min(80, length)).firstIndex(of: 0) else { throw fail("invalid text keyword") }
            if type == "zTXt" {
                if peek.count - k <= 2 { throw fail("invalid zTXt chunk") }
                if peek[k + 1] != 0 { throw fail("invalid zTXt compression method") }
                guard complete else { throw fail("end of stream") }
                if !(try budget.passes(source, from: bodyStart + k + 2, to: bodyStart + length)) { throw fail("zlib error") }
            } else if type == "iTXt" {
                if peek.count - k < 5 { throw fail("invalid iTXt chunk") }
                if peek[k + 1] > 1 { throw fail("invalid iTXt compression flag") }
                if peek[k + 2] != 0 { throw fail("invalid iTXt compression method") }
                guard let t = peek[(k + 3)...].firstIndex(of: 0) else { throw fail("invalid iTXt language tag") }
                if peek.count - t < 2 { throw fail("invalid iTXt chunk") }
                guard let z = peek[(t + 1)...].firstIndex(of: 0) else { throw fail("invalid iTXt chunk") }
                if peek[k + 1] != 0 {
                    guard complete else { throw fail("end of stream") }
                    if !(try budget.passes(source, from: bodyStart + z + 1, to: bodyStart + length)) { throw fail("zlib error") }
                }
            }
            guard complete else { throw fail("end of stream") }
            if !keywordOK(body[..<k]) { throw fail("invalid text keyword") }
            return
        case "sPLT":
            guard length > 0 else { throw fail("invalid chunk length") }
            guard complete else { throw fail("end of stream") }
            guard let k = body.prefix(min(80, length)).firstIndex(of: 0), keywordOK(body[..<k]) else {
                throw fail("invalid sPLT name")
            }
            let name = Array(body[..<k])
            if !splt.insert(name).inserted { throw fail("duplicate sPLT name") }
            if length - k <= 2 { throw fail("invalid chunk length") }
            let sampleDepth = body[k + 1], entries = length - k - 2
            if sampleDepth != 8 && sampleDepth != 16 { throw fail("invalid sPLT sample depth") }
            if entries % (sampleDepth == 16 ? 10 : 6) != 0 || entries == 0 { throw fail("invalid chunk length") }
            return
        default:
            if !complete { throw fail("end of stream") }  // unknown ancillary: discarded
            return
        }
        seen.insert(type)
    }

    /// check_png_keyword(): 1–79 bytes, no leading, trailing or double space, Latin-1 printable.
    static func keywordOK<C: Collection>(_ k: C) -> Bool where C.Element == UInt8 {
        let a = Array(k)
        guard !a.isEmpty, a.count <= 79, a.first != 0x20, a.last != 0x20 else { return false }
        for i in 1..<max(1, a.count) where a[i] == 0x20 && a[i - 1] == 0x20 { return false }
        return a.allSatisfy { (32...126).contains($0) || $0 >= 161 }
    }

    private static func checkCRC(_ source: ByteSource, _ chunk: (length: Int, type: String, start: Int)) throws(PixelError) {
        let crcAt = chunk.start + 8 + chunk.length
        guard let stored = source.exactly(at: crcAt, length: 4) else { throw fail("end of stream") }
        var crc = CRC32()
        var offset = chunk.start + 4
        while offset < crcAt {
            let piece = source.bytes(at: offset, length: min(1 << 16, crcAt - offset))
            if piece.isEmpty { throw fail("end of stream") }
            crc.update(piece)
            offset += piece.count
        }
        if UInt32(stored.u32be(0)!) != crc.value { throw fail("invalid chunk checksum") }
    }

    private static func fail(_ message: String) -> PixelError { PixelError("pngload: " + message) }
}

/// CRC-32 of PNG chunks (ISO 3309, reflected, polynomial 0xEDB88320).
struct CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    private var state: UInt32 = 0xFFFF_FFFF
    mutating func update(_ bytes: [UInt8]) {
        for b in bytes { state = Self.table[Int((state ^ UInt32(b)) & 0xFF)] ^ (state >> 8) }
    }
    var value: UInt32 { state ^ 0xFFFF_FFFF }
}
