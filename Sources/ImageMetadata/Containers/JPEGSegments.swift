/// What the header of a JPEG file says, read segment by segment up to the first SOS (SPEC §2).
package struct JPEGHeader: Sendable {
    /// Frame size and component count from the first SOFn segment.
    package var width = 0
    package var height = 0
    package var components = 0
    package var bitsPerSample = 0
    /// The SOF marker byte (0xC0 baseline, 0xC2 progressive, …).
    package var frameMarker: UInt8 = 0
    /// JFIF APP0 density: units (0 none, 1 dpi, 2 dpcm) and X/Y density.
    package var jfif: (units: Int, x: Int, y: Int)? = nil
    /// Payload of the first APP1 segment, whatever it holds (node-exif reads only this one, SPEC §3).
    package var firstAPP1: [UInt8]? = nil
    /// TIFF data (after `Exif\0\0`) of the first and the last APP1 Exif segment (the only ones
    /// used: orientation reads the first, density the last).
    package var exifBlocks: [[UInt8]] = []
    /// File offset of the TIFF header of the first `exifBlocks` entry.
    package var firstExifOffset: Int? = nil
    /// Size of the first APP1 XMP packet (after its namespace signature), when there is one.
    package var xmpBytes: Int? = nil
        /// APP2 `ICC_PROFILE` chunks: (sequence number, count, profile bytes), one per sequence number
    /// (a later chunk replaces an earlier one with its number, as libvips does), so at most 256.
    package var iccChunks: [(sequence: Int, count: Int, data: [UInt8])] = []
    /// Whether a sequence number came twice, which makes the set invalid for libjpeg-turbo.
    package var iccRepeated = false
    /// Adobe APP14 colour transform flag, when the segment exists.
    package var adobeTransform: Int? = nil
    /// Byte offset of the first SOS segment (where entropy-coded data begins), if reached.
    package var scanOffset: Int? = nil
    /// How far node-exif's marker walk (`ExifLocator`) went along with this one: it stops at the
    /// first APP1, or where the two walks part.
    var nodeExifWalk = ExifLocator.fileStart
    package var diagnostics: [Diagnostic] = []
}

extension JPEGHeader {
    /// Bytes of segment payloads held.
    var keptBytes: Int {
        (firstAPP1?.count ?? 0) + exifBlocks.reduce(0) { $0 + $1.count } + iccChunks.reduce(0) { $0 + $1.data.count }
    }
}

enum JPEGSegmentReader {
    static let exifSignature: [UInt8] = Array("Exif".utf8) + [0, 0]
    static let iccSignature: [UInt8] = Array("ICC_PROFILE".utf8) + [0]
    static let xmpSignature: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]

    /// Walks the marker segments from SOI to the first SOS. Everything is bounded by the file
    /// size; a file that ends early keeps what was read and gets a diagnostic.
    /// The payloads kept (`JPEGHeader`) may total at most `limits.metadataBytes`.
    static func read(_ source: ByteSource, limits: Limits = Limits(), deadline: PHashReader.Deadline? = nil)
        throws(MetadataError) -> JPEGHeader
    {
        var header = JPEGHeader()
        let size = source.count
        var offset = 2  // after SOI
        var sawFrame = false
        let deadline = deadline ?? PHashReader.Deadline(limits)
        var segments = 0
        while offset < size {
            segments += 1
            if segments % 4096 == 0 && deadline.expired { throw MetadataError.timeLimit(seconds: limits.seconds) }
            // Find the next marker: 0xFF followed by a non-0xFF byte. Bytes between segments are
            // skipped with a diagnostic, as libjpeg does ("extraneous bytes before marker").
            guard let pair = source.exactly(at: offset, length: 2) else { break }
            if pair[0] != 0xFF {
                let start = offset
                offset = skipToMarker(source, from: offset)
                header.diagnostics.append(
                    Diagnostic(.file, "\(offset - start) extraneous bytes before a marker at byte \(start)"))
                continue
            }
            if pair[1] == 0xFF { offset += 1; continue }  // fill byte
            let marker = pair[1]
            let segmentStart = offset
            offset += 2
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // no length
            if marker == 0xD9 { break }  // EOI before any scan
            guard let lengthBytes = source.exactly(at: offset, length: 2) else {
                header.diagnostics.append(
                    Diagnostic(.jpegSegment(marker: marker, offset: segmentStart), "file ends inside the segment length"))
                break
            }
            let length = Int(lengthBytes[0]) << 8 | Int(lengthBytes[1])
            guard length >= 2 else {
                throw MetadataError.invalidHeader(
                    format: .jpg, detail: "segment 0xFF\(hex(marker)) at byte \(segmentStart) has length \(length)")
            }
            let payloadStart = offset + 2
            let payloadLength = length - 2
            let available = max(0, min(payloadLength, size - payloadStart))
            if available < payloadLength {
                header.diagnostics.append(
                    Diagnostic(.jpegSegment(marker: marker, offset: segmentStart),
                        "segment of \(length) bytes is cut off by the end of the file at byte \(size)"))
            }
            // An ordinary segment where node-exif's walk stands is one step of that walk too.
            if case .walk(let at, let passed) = header.nodeExifWalk, at == segmentStart, passed < ExifLocator.maxSegments {
                if marker == 0xE1 {
                    header.nodeExifWalk = .app1(payload: payloadStart)
                } else if marker != 0xDA {
                    header.nodeExifWalk = .walk(offset: payloadStart + payloadLength, segments: passed + 1)
                }
            }
            if marker == 0xDA {
                header.scanOffset = segmentStart
                break
            }
            if isFrame(marker) && !sawFrame {
                guard let p = source.exactly(at: payloadStart, length: min(6, payloadLength)), p.count == 6 else {
                    throw MetadataError.truncatedHeader(
                        format: .jpg, detail: "the frame header at byte \(segmentStart) is incomplete")
                }
                header.frameMarker = marker
                header.bitsPerSample = Int(p[0])
                header.height = p.u16be(1)!
                header.width = p.u16be(3)!
                header.components = Int(p[5])
                sawFrame = true
            } else if wantsPayload(marker) {
                let payload = source.bytes(at: payloadStart, length: available)
                if marker == 0xE1, header.exifBlocks.isEmpty, payload.hasPrefix(exifSignature) {
                    header.firstExifOffset = payloadStart + exifSignature.count
                }
                record(marker: marker, payload: payload, into: &header)
                let kept = header.keptBytes
                if kept > limits.metadataBytes {
                    throw MetadataError.overLimit(what: "JPEG metadata kept in bytes", value: kept, limit: limits.metadataBytes)
                }
            }
            offset = payloadStart + payloadLength
        }
        guard sawFrame else {
            if offset >= size {
                throw MetadataError.truncatedHeader(format: .jpg, detail: "no frame header (SOF) before byte \(size)")
            }
            throw MetadataError.invalidHeader(format: .jpg, detail: "no frame header (SOF) before the first scan")
        }
        guard header.width > 0, header.height > 0, header.components > 0 else {
            throw MetadataError.invalidHeader(
                format: .jpg,
                detail: "the frame header gives \(header.width)×\(header.height) pixels and \(header.components) components")
        }
        if header.scanOffset == nil {
            header.diagnostics.append(Diagnostic(.file, "the file ends before the first scan (SOS)"))
        }
        return header
    }

    /// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    static func isFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    private static func wantsPayload(_ marker: UInt8) -> Bool {
        marker == 0xE0 || marker == 0xE1 || marker == 0xE2 || marker == 0xEE
    }

    private static func record(marker: UInt8, payload: [UInt8], into header: inout JPEGHeader) {
        switch marker {
        case 0xE0 where header.jfif == nil && payload.hasPrefix(Array("JFIF".utf8) + [0]) && payload.count >= 12:
            header.jfif = (Int(payload[7]), payload.u16be(8)!, payload.u16be(10)!)
        case 0xE1:
            if header.firstAPP1 == nil { header.firstAPP1 = payload }
            if payload.hasPrefix(exifSignature) {
                if header.exifBlocks.count == 2 { header.exifBlocks.removeLast() }
                header.exifBlocks.append(Array(payload.dropFirst(6)))
            }
            if header.xmpBytes == nil, payload.hasPrefix(xmpSignature) { header.xmpBytes = payload.count - xmpSignature.count }
        case 0xE2 where payload.hasPrefix(iccSignature) && payload.count >= 14:
            let chunk = (sequence: Int(payload[12]), count: Int(payload[13]), data: Array(payload.dropFirst(14)))
            if let earlier = header.iccChunks.firstIndex(where: { $0.sequence == chunk.sequence }) {
                if !chunk.data.isEmpty { header.iccChunks[earlier] = chunk }  // libvips skips empty chunks
                header.iccRepeated = true
            } else {
                header.iccChunks.append(chunk)
            }
        case 0xEE where payload.hasPrefix(Array("Adobe".utf8)) && payload.count >= 12:
            header.adobeTransform = Int(payload[11])
        default: break
        }
    }

    private static func skipToMarker(_ source: ByteSource, from start: Int) -> Int {
        var offset = start
        let chunk = 4096
        while offset < source.count {
            let block = source.bytes(at: offset, length: chunk)
            if block.isEmpty { break }
            for i in 0..<block.count where block[i] == 0xFF {
                // A marker is 0xFF followed by something other than 0x00 (a stuffed byte).
                if i + 1 < block.count {
                    if block[i + 1] != 0x00 { return offset + i }
                } else {
                    return offset + i
                }
            }
            offset += block.count
        }
        return source.count
    }
}
