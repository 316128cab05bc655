/// The two ways a JPEG's APP2 `ICC_PROFILE` chunks are put together.
extension JPEGHeader {
    /// For `hasColorProfile`: the profile when its chunks form one complete, consistent set
    /// (libjpeg-turbo `jpeg_read_icc_profile` rules: counts agree, sequence numbers 1…count each once).
    package var iccProfile: [UInt8]? {
        guard !iccRepeated, let total = iccChunks.first?.count, total > 0 else { return nil }
        var parts = [[UInt8]?](repeating: nil, count: total)
        for chunk in iccChunks {
            guard chunk.count == total, chunk.sequence >= 1, chunk.sequence <= total,
                parts[chunk.sequence - 1] == nil
            else { return nil }
            parts[chunk.sequence - 1] = chunk.data
        }
        return joined(parts)
    }

    /// For the pixels: the profile as libvips 8.10's JPEG loader assembles it. APP2 chunk n (1–100)
    /// goes in slot n, a later chunk with the same number replacing an earlier one, and the slots are
    /// joined from the first up to the first empty one; the chunk counts are not checked.
    var libvipsICCProfile: [UInt8]? {
        var slots = [[UInt8]?](repeating: nil, count: 100)
        for chunk in iccChunks where chunk.sequence >= 1 && chunk.sequence <= 100 && !chunk.data.isEmpty {
            slots[chunk.sequence - 1] = chunk.data
        }
        return joined(slots.prefix { $0 != nil })
    }

    /// The parts end to end; nil when one is missing or the result is empty.
    private func joined<S: Sequence>(_ parts: S) -> [UInt8]? where S.Element == [UInt8]? {
        var profile: [UInt8] = []
        for part in parts {
            guard let part else { return nil }
            profile += part
        }
        return profile.isEmpty ? nil : profile
    }
}
