import ImageMetadata

/// `ikmeta exif` output: one JSON line per file, or one aligned table per file for people.
enum ExifViewFormat {
    // MARK: JSON

    static func json(file: String, view: ExifView) -> JSONValue {
        var o = JSONObject()
        o["file"] = .string(file)
        o["source"] = view.source.map { .string($0) } ?? .null
        o["byteOrder"] = view.source == nil ? .null : .string(view.bigEndian ? "big" : "little")
        o["tags"] = .array(view.tags.map { tagJSON($0, in: view) })
        if let note = view.makerNote {
            o["makerNote"] = .object(JSONObject([
                ("maker", .string(note.maker)), ("bytes", number(note.bytes)), ("decoded", .bool(note.decoded)),
                ("tags", .array(note.tags.map { t in
                    // libexif's MakerNote API gives descriptions only, so there is no raw value.
                    .object(JSONObject([("id", number(t.id)), ("name", .string(t.name)), ("value", .null), ("text", .string(t.text))]))
                })),
            ]))
        }
        if let gps = view.gps {
            var g = JSONObject()
            g["latitude"] = gps.latitude.map { .number($0) }
            g["longitude"] = gps.longitude.map { .number($0) }
            g["altitude"] = gps.altitude.map { .number($0) }
            g["time"] = gps.time.map { .string($0) }
            o["gps"] = .object(g)
        }
        if let t = view.thumbnail {
            o["thumbnail"] = .object(JSONObject([("format", .string(t.format)), ("bytes", number(t.bytes.count))]))
        }
        if let d = view.iccDescription { o["icc"] = .object(JSONObject([("description", .string(d))])) }
        if let x = view.xmpBytes { o["xmp"] = .object(JSONObject([("bytes", number(x))])) }
        if !view.diagnostics.isEmpty { o["diagnostics"] = .array(view.diagnostics.map { .string($0.description) }) }
        return .object(o)
    }

    /// The object as one compact line. U+0085, U+2028 and U+2029 are valid unescaped in JSON but
    /// end a line for many line readers (Python's `splitlines`), so they are written as escapes.
    static func jsonLine(file: String, view: ExifView) -> String {
        let text = JSONWriter.compact(json(file: file, view: view))
        guard text.unicodeScalars.contains(where: isLineBreak) else { return text }
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if isLineBreak(c) {
                out.append(contentsOf: "\\u\(String(c.value, radix: 16).leftPadded(4))".unicodeScalars)
            } else {
                out.append(c)
            }
        }
        return String(out)
    }

    private static func isLineBreak(_ c: Unicode.Scalar) -> Bool { c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029 }

    private static func number(_ n: Int) -> JSONValue { .number(Double(n)) }

    private static func tagJSON(_ tag: ExifTag, in view: ExifView) -> JSONValue {
        // Offsets of image data are given from the start of the file, as ExifTool gives them.
        var shown = value(tag.entry)
        if let offsets = view.fileOffsets(of: tag) {
            shown = offsets.count == 1 && tag.entry.count == 1 ? number(offsets[0]) : .array(offsets.map(number))
        }
        return .object(JSONObject([
            ("ifd", .string(tag.entry.ifd.exifToolName)), ("id", number(Int(tag.id))), ("name", .string(tag.name)),
            ("type", .string(tag.entry.type.description)), ("count", number(Int(tag.entry.count))),
            ("value", shown), ("text", .string(tag.text)),
        ]))
    }

    /// Text for ASCII, numbers for integer and floating types (one, or an array), `[n, d]` pairs
    /// for rationals, hex text for UNDEFINED bytes.
    static func value(_ entry: ExifEntry) -> JSONValue {
        func list(_ v: [JSONValue]) -> JSONValue { entry.count == 1 && v.count == 1 ? v[0] : .array(v) }
        func ints<T: BinaryInteger>(_ v: [T]) -> JSONValue { list(v.map { .number(Double($0)) }) }
        switch entry.value {
        case .ascii(let b): return .string(ExifValueText.ascii(b))
        case .undefined(let b): return .string(hexDigits(b))
        case .bytes(let v): return ints(v)
        case .signedBytes(let v): return ints(v)
        case .shorts(let v): return ints(v)
        case .signedShorts(let v): return ints(v)
        case .longs(let v): return ints(v)
        case .signedLongs(let v): return ints(v)
        case .rationals(let v): return list(v.map { [.number(Double($0.numerator)), .number(Double($0.denominator))] })
        case .signedRationals(let v): return list(v.map { [.number(Double($0.numerator)), .number(Double($0.denominator))] })
        case .floats(let v): return list(v.map { .number(Double($0)) })
        case .doubles(let v): return list(v.map { .number($0) })
        case .unknown: return .null
        }
    }

    // MARK: Table

    struct Style {
        var colour: Bool
        func bold(_ s: String) -> String { colour ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        func dim(_ s: String) -> String { colour ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
        func cyan(_ s: String) -> String { colour ? "\u{1B}[36m\(s)\u{1B}[0m" : s }
        func yellow(_ s: String) -> String { colour ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
    }

    /// One table per file: a heading, then each directory's tags as name, description and, where
    /// it says something else, the raw value.
    static func table(file: String, view: ExifView, style: Style) -> String {
        var rows: [(section: String?, name: String, text: String, raw: String?, unknown: Bool)] = []
        for directory in view.directories {
            rows.append((directory.name, "", "", nil, false))
            for tag in directory.tags {
                let raw = ExifValueText.raw(tag.entry)
                let shownRaw = raw.isEmpty || raw == tag.text || tag.text.contains(raw) ? nil : raw
                rows.append((nil, tag.name, oneLine(tag.text), shownRaw.map(oneLine), !tag.isKnown))
            }
        }
        if let note = view.makerNote {
            let what = note.decoded ? "" : ", not decoded by libexif"
            rows.append(("MakerNote (\(note.maker), \(note.bytes) bytes\(what))", "", "", nil, false))
            for t in note.tags { rows.append((nil, t.name, oneLine(t.text), nil, false)) }
        }
        var extras: [(String, String)] = []
        if let gps = view.gps {
            var parts: [String] = []
            if let lat = gps.latitude, let lon = gps.longitude { parts.append("\(fixed(lat, 6)), \(fixed(lon, 6))") }
            if let alt = gps.altitude { parts.append("\(fixed(alt, 1)) m") }
            if let time = gps.time { parts.append(time) }
            extras.append(("GPS position", parts.joined(separator: ", ")))
        }
        if let t = view.thumbnail { extras.append(("Thumbnail", "\(t.format), \(t.bytes.count) bytes")) }
        if let d = view.iccDescription { extras.append(("ICC profile", oneLine(d))) }
        if let x = view.xmpBytes { extras.append(("XMP packet", "\(x) bytes")) }

        let width = max(rows.map { $0.name.count }.max() ?? 0, extras.map { $0.0.count }.max() ?? 0)
        var out = style.bold(file)
        out += view.source.map { " — \($0), \(view.bigEndian ? "big-endian (MM)" : "little-endian (II)")" } ?? " — no EXIF"
        out += "\n"
        for row in rows {
            if let section = row.section {
                out += style.cyan(section) + "\n"
                continue
            }
            let name = pad(row.name, width)
            out += "  " + (row.unknown ? style.yellow(name) : name) + "  " + row.text
            if let raw = row.raw { out += "  " + style.dim("(\(raw))") }
            out += "\n"
        }
        if !extras.isEmpty { out += style.cyan("Other") + "\n" }
        for (name, text) in extras {
            out += "  " + pad(name, width) + "  " + text + "\n"
        }
        return out
    }

    fileprivate static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    private static func oneLine(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }

    private static func fixed(_ d: Double, _ places: Int) -> String {
        guard d.isFinite, d.magnitude < 1e12 else { return JSONWriter.number(d) }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let n = Int64((d * scale).rounded())
        let sign = n < 0 ? "-" : ""
        let whole = String(n.magnitude / UInt64(scale))
        var frac = String(n.magnitude % UInt64(scale))
        frac = String(repeating: "0", count: places - frac.count) + frac
        return sign + whole + (places > 0 ? "." + frac : "")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
