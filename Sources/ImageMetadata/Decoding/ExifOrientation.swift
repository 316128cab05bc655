/// The EXIF orientation libvips 8.10 attaches (libvips-pipeline.md §1 step 2, §16): IFD0 tag 0x0112
/// of the block libexif loaded, printed the way libvips prints it, then `atoi`; anything outside
/// 1–8 is 1.
enum ExifOrientation {
    static let tag: UInt16 = 0x0112

    static func value(in exif: LibExifData?) -> Int {
        guard let exif, let entry = exif.entry(tag, in: .zero) else { return 1 }
        let value = printedValue(entry, bigEndian: exif.bigEndian) ?? 0
        return (1...8).contains(value) ? value : 1
    }

    /// The leading number of libvips' `vips_exif_to_s` text for the entry, as `atoi` reads it.
    static func printedValue(_ entry: LibExifData.Entry, bigEndian: Bool) -> Int? {
        let few = entry.components > 0 && entry.components < 10
        switch entry.format {
        case 2:  // ASCII: the text itself
            return atoi(entry.data.prefix(254))
        case 3, 4, 8, 9:  // SHORT, LONG, SSHORT, SLONG: "%d" of the first component
            guard few, let v = entry.integer(0, bigEndian: bigEndian) else { return nil }
            return Int(Int32(truncatingIfNeeded: v))
        case 5, 10:  // RATIONAL, SRATIONAL: "n/d"
            guard few, let (n, _) = entry.rational(0, bigEndian: bigEndian) else { return nil }
            return n > Int(Int32.max) ? nil : n
        default:
            return nil  // libexif's descriptive text: atoi gives 0
        }
    }

    /// C `atoi` on bytes: optional whitespace and sign, then decimal digits.
    static func atoi<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        var it = bytes.drop(while: { $0 == 0x20 || (0x09...0x0D).contains($0) })
        var sign = 1
        if let first = it.first, first == 0x2D || first == 0x2B {
            if first == 0x2D { sign = -1 }
            it = it.dropFirst()
        }
        var value = 0
        var any = false
        for b in it {
            guard (0x30...0x39).contains(b) else { break }
            value = min(value * 10 + Int(b - 0x30), Int(Int32.max))
            any = true
        }
        return any ? sign * value : 0
    }
}
