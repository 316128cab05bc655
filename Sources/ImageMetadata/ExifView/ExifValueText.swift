/// The raw value of an entry as short text ("1 2 3", "10/1600", "0x30 0x32 …"), for entries
/// libexif cannot describe and to show beside libexif's description.
public enum ExifValueText {
    /// Components shown before "…".
    static let shownComponents = 16

    /// ASCII up to its first NUL.
    public static func ascii(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The stored value as text, without libexif's description.
    public static func raw(_ entry: ExifEntry) -> String {
        let parts: [String]
        switch entry.value {
        case .ascii(let b): return ascii(b)
        case .bytes(let v): parts = v.map { String($0) }
        case .undefined(let v): return hexBytes(v)
        case .signedBytes(let v): parts = v.map { String($0) }
        case .shorts(let v): parts = v.map { String($0) }
        case .signedShorts(let v): parts = v.map { String($0) }
        case .longs(let v): parts = v.map { String($0) }
        case .signedLongs(let v): parts = v.map { String($0) }
        case .rationals(let v): parts = v.map { "\($0.numerator)/\($0.denominator)" }
        case .signedRationals(let v): parts = v.map { "\($0.numerator)/\($0.denominator)" }
        case .floats(let v): parts = v.map { JSONWriter.number(Double($0)) }
        case .doubles(let v): parts = v.map { JSONWriter.number($0) }
        case .unknown: return ""
        }
        let shown = parts.prefix(shownComponents).joined(separator: " ")
        return parts.count > shownComponents ? shown + " … (\(parts.count) values)" : shown
    }

    /// UNDEFINED bytes as hex, the first 32 bytes for longer values.
    static func hexBytes(_ v: [UInt8]) -> String {
        let s = hexDigits(v.prefix(32))
        return v.count > 32 ? s + "… (\(v.count) bytes)" : s
    }

    /// Text for an entry libexif cannot describe: no value, an unknown type, or a value cut short.
    static func plain(_ entry: ExifEntry) -> String {
        if entry.count == 0 { return "(no value)" }
        if entry.type.size == 0 { return "(\(entry.type), \(entry.count) components)" }
        let present = entry.data.count / entry.type.size
        if present < Int(entry.count) {
            return (present > 0 ? raw(entry) + " " : "") + "(\(present) of \(entry.count) components readable)"
        }
        return raw(entry)
    }
}
