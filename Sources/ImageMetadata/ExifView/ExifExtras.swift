import CLCMS2

/// The MakerNote of the view: libexif decodes it from the first 64 KiB of the block, the part it
/// loads (through `LibExifGuard`), for the makers it knows.
enum ExifMakerNoteReader {
    static func read(_ view: ExifView, buffer: NodeBuffer, diagnostics: inout [Diagnostic]) -> ExifMakerNote? {
        guard let note = view.tags.first(where: { $0.entry.ifd == .exif && $0.id == 0x927C })?.entry else {
            return nil
        }
        let make = view.tags.first { $0.entry.ifd == .image && $0.id == 0x010F }.map { ExifValueText.ascii($0.entry.data) }
        let maker = make.map { $0.trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 } ?? signature(note.data)
        var tags: [ExifMakerNote.Tag] = []
        let block = buffer.bytes(0, LibExifGuard.bufferLimit)
        if note.valueOffset + Int(note.count) > block.count {
            diagnostics.append(Diagnostic(.exif(offset: note.valueOffset),
                "the MakerNote lies past the first \(LibExifGuard.bufferLimit) bytes libexif reads; it is not decoded"))
        } else if let exif = LibExifData(tiff: block, followSpecification: false, ignoreUnknownTags: false) {
            tags = LibExifText.makerNote(exif)
        } else {
            diagnostics.append(Diagnostic(.exif(offset: 0),
                "the EXIF block would make libexif copy over \(LibExifGuard.maxCopiedBytes) bytes; the MakerNote is not decoded"))
        }
        return ExifMakerNote(maker: maker, bytes: Int(note.count), tags: tags, decoded: !tags.isEmpty)
    }

    /// The maker a MakerNote names in its first bytes, when it names one.
    static func signature(_ data: [UInt8]) -> String {
        let head = String(decoding: data.prefix(16).prefix { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
        return head.isEmpty ? "unknown" : head.trimmingSpaces
    }
}

/// GPS in plain units (EXIF 2.3 §4.6.6).
enum ExifGPSReader {
    static func read(_ view: ExifView) -> ExifGPS? {
        guard let gps = view.directories.first(where: { $0.ifd == .gps }) else { return nil }
        func tag(_ id: UInt16) -> ExifValue? { gps.tags.first { $0.id == id }?.entry.value }
        func ref(_ id: UInt16) -> String? {
            if case .ascii(let b)? = tag(id) { return ExifValueText.ascii(b).trimmingSpaces.uppercased() }
            return nil
        }
        func numbers(_ id: UInt16) -> [Double]? {
            switch tag(id) {
            case .rationals(let v)?: return v.map(\.doubleValue)
            case .signedRationals(let v)?: return v.map(\.doubleValue)
            default: return nil
            }
        }
        func degrees(_ id: UInt16, negative: String) -> Double? {
            guard let v = numbers(id), !v.isEmpty, v.allSatisfy(\.isFinite) else { return nil }
            let d = v[0] + (v.count > 1 ? v[1] / 60 : 0) + (v.count > 2 ? v[2] / 3600 : 0)
            return ref(id - 1) == negative ? -d : d
        }
        var out = ExifGPS()
        out.latitude = degrees(2, negative: "S")
        out.longitude = degrees(4, negative: "W")
        if let a = numbers(6)?.first, a.isFinite {
            var below = false
            if case .bytes(let b)? = tag(5) { below = b.first == 1 }
            out.altitude = below ? -a : a
        }
        if let t = numbers(7), t.count == 3, t.allSatisfy({ $0.isFinite && $0 >= 0 && $0 < 100 }) {
            let seconds = t[2] == t[2].rounded(.down) ? two(Int(t[2])) : String(t[2])
            var time = "\(two(Int(t[0]))):\(two(Int(t[1]))):\(seconds)Z"
            if case .ascii(let b)? = tag(29) {
                let date = ExifValueText.ascii(b).replacingColons
                if !date.isEmpty { time = date + "T" + time }
            }
            out.time = time
        }
        return out == ExifGPS() ? nil : out
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension String {
    /// "2021:04:11" → "2021-04-11".
    fileprivate var replacingColons: String { String(map { $0 == ":" ? "-" : $0 }) }
}

/// The description an ICC profile gives itself (its `desc` tag), read with lcms2.
enum ICCDescription {
    static func of(_ profile: [UInt8]) -> String? {
        guard profile.count >= 128, profile.count < Int(UInt32.max),
            let handle = profile.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, UInt32($0.count)) })
        else { return nil }
        defer { cmsCloseProfile(handle) }
        var text = [CChar](repeating: 0, count: 512)
        let n = cmsGetProfileInfoASCII(handle, cmsInfoDescription, "en", "US", &text, UInt32(text.count))
        guard n > 0 else { return nil }
        let s = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return s.isEmpty ? nil : s
    }
}
