import CImageShims

/// libspng's check of the compressed iCCP/zTXt/iTXt streams of one PNG file, within bounds: the
/// chunk is read and inflated 64 KiB at a time (never held whole), every stream of the file
/// together may inflate at most `Limits.metadataBytes`, and the deadline is checked between pieces.
struct PNGInflateBudget {
    let deadline: PHashReader.Deadline
    private(set) var inflated = 0

    init(_ deadline: PHashReader.Deadline) { self.deadline = deadline }

    /// Whether the zlib stream in `start..<end` passes libspng 0.6.0's check (`CImageShims_InflateOpen`).
    mutating func passes(_ source: ByteSource, from start: Int, to end: Int) throws(PixelError) -> Bool {
        guard end - start >= 2, let header = source.exactly(at: start, length: 2),
            let inflater = header.withUnsafeBufferPointer({ CImageShims_InflateOpen($0.baseAddress) })
        else { return false }
        defer { CImageShims_InflateClose(inflater) }
        var offset = start + 2
        var status: Int32 = 1
        let before = inflated
        while offset < end {
            try deadline.check()
            let piece = source.bytes(at: offset, length: min(1 << 16, end - offset))
            if piece.isEmpty { return false }
            var produced = 0
            status = piece.withUnsafeBufferPointer {
                CImageShims_InflateFeed(inflater, $0.baseAddress, $0.count, max(0, deadline.metadataBytes - inflated), &produced)
            }
            inflated += produced
            if status == -2 || inflated > deadline.metadataBytes {
                throw PixelError.file(.overLimit(
                    what: "inflated size of the PNG's compressed text and profile chunks in bytes",
                    value: inflated, limit: deadline.metadataBytes))
            }
            if status < 0 { return false }
            offset += piece.count
            if status == 0 { break }  // the bytes after the stream need not be read
        }
        return status == 0 && inflated > before && CImageShims_InflateTrailing(inflater) + (end - offset) >= 4
    }
}
