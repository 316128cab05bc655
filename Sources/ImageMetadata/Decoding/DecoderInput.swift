import CImageShims

/// What the C decoders read (`CImageShims_Input`): a file's descriptor, read with pread and its
/// offset left alone, or one copy of the bytes of any other source. Made once per file, shared by
/// every decoder of that file, and alive as long as the last of them.
final class DecoderInput {
    private(set) var input: CImageShims_Input
    private let memory: UnsafeMutableRawBufferPointer?
    /// Keeps a file's descriptor open.
    private let source: ByteSource

    init(_ source: ByteSource) {
        self.source = source
        if let file = source as? FileByteSource {
            memory = nil
            input = CImageShims_Input(fd: file.descriptor, data: nil, length: 0)
        } else {
            let bytes = source.bytes(at: 0, length: source.count)
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
            copy.copyBytes(from: bytes)
            memory = copy
            input = CImageShims_Input(
                fd: -1, data: UnsafePointer(copy.baseAddress!.assumingMemoryBound(to: UInt8.self)), length: bytes.count)
        }
    }

    deinit { memory?.deallocate() }
}
