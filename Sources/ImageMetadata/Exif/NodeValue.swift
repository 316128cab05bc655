/// A value as node-exif 0.6.0 stores it in its result object, before ImageKit serialises it.
enum NodeValue: Equatable {
    /// JavaScript `undefined`: a key that `JSON.stringify` leaves out (or `null` inside an array).
    case undefined
    case number(Double)
    case string(String)
    /// A Node `Buffer` (UNDEFINED entries); ImageKit turns it into a string.
    case buffer([UInt8])
    case array([NodeValue])

    /// JavaScript truthiness, which decides whether node-exif follows a pointer tag.
    var isTruthy: Bool {
        switch self {
        case .undefined: return false
        case .number(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .buffer, .array: return true
        }
    }

    /// The value in ImageKit's JSON: a Buffer becomes its bytes decoded as UTF-8 with U+FFFD for
    /// invalid sequences; NaN and infinities become `null` (SPEC §3). `undefined` gives nil.
    var json: JSONValue? {
        switch self {
        case .undefined: return nil
        case .number(let d): return d.isFinite ? .number(d) : .null
        case .string(let s): return .string(s)
        case .buffer(let bytes): return .string(Self.utf8String(bytes))
        case .array(let items): return .array(items.map { $0.json ?? .null })
        }
    }
}

extension NodeValue {
    /// `buffer.toString()`: the bytes as UTF-8, each maximal invalid subsequence replaced by U+FFFD
    /// (the WHATWG decoder, which is also what `String(decoding:as:)` does, and which the tests check
    /// against it). Written out because MakerNotes are mostly invalid bytes, which the standard
    /// library's repair handles about three times more slowly.
    static func utf8String(_ bytes: [UInt8]) -> String {
        // Each input byte gives at most 3 output bytes (U+FFFD); valid sequences are copied.
        String(unsafeUninitializedCapacity: bytes.count * 3) { out in
            var o = 0
            func replacement() {
                out[o] = 0xEF
                out[o + 1] = 0xBF
                out[o + 2] = 0xBD
                o += 3
            }
            bytes.withUnsafeBufferPointer { b in
                var i = 0
                while i < b.count {
                    let lead = b[i]
                    if lead < 0x80 {
                        out[o] = lead
                        o += 1
                        i += 1
                        continue
                    }
                    // Continuation bytes are 0x80–0xBF, narrower after E0, ED, F0 and F4.
                    var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
                    let length: Int
                    switch lead {
                    case 0xC2...0xDF: length = 2
                    case 0xE0...0xEF:
                        length = 3
                        if lead == 0xE0 { lower = 0xA0 } else if lead == 0xED { upper = 0x9F }
                    case 0xF0...0xF4:
                        length = 4
                        if lead == 0xF0 { lower = 0x90 } else if lead == 0xF4 { upper = 0x8F }
                    default:
                        replacement()
                        i += 1
                        continue
                    }
                    var j = i + 1
                    while j < i + length, j < b.count, b[j] >= lower, b[j] <= upper {
                        lower = 0x80
                        upper = 0xBF
                        j += 1
                    }
                    if j == i + length {
                        for k in i..<j {
                            out[o] = b[k]
                            o += 1
                        }
                    } else {
                        replacement()  // the byte that broke the sequence starts the next one
                    }
                    i = j
                }
            }
            return o
        }
    }
}

/// node-exif's `extractExifEntry` conversion by EXIF type (SPEC §3, imagekit-spec §2.4).
enum NodeConversion {
    /// The value of an entry of type `type` with `count` components whose bytes start with
    /// `data` (bytes past `data` are missing: past the end of the file). nil when node-exif drops
    /// the entry (FLOAT, DOUBLE, unknown types).
    static func value(type: Int, count: Int, data: [UInt8], bigEndian: Bool) -> NodeValue? {
        func b(_ i: Int) -> UInt8? { i < data.count ? data[i] : nil }
        /// `getShort`/`getLong` and their signed forms at `at`; JavaScript's arithmetic only when
        /// bytes are missing.
        func number(_ at: Int, _ size: Int, signed: Bool) -> Double {
            guard at + size > data.count else {
                var v: UInt32 = 0
                for k in 0..<size { v = v << 8 | UInt32(data[at + (bigEndian ? k : size - 1 - k)]) }
                guard signed else { return Double(v) }
                return size == 2 ? Double(Int16(truncatingIfNeeded: v)) : Double(Int32(bitPattern: v))
            }
            let bytes = JSBytes.ordered((0..<size).map { b(at + $0) }, bigEndian: bigEndian)
            return signed ? JSBytes.signed(bytes) : JSBytes.unsigned(bytes)
        }
        let items: [NodeValue]
        switch type {
        case 1:  // BYTE
            items = (0..<count).map { i in b(i).map { .number(Double($0)) } ?? .undefined }
        case 2:  // ASCII: bytes as Latin-1 code points, one trailing NUL removed
            var units = (0..<count).map { UInt16(b($0) ?? 0) }
            if units.last == 0 { units.removeLast() }
            return .string(String(decoding: units, as: UTF16.self))
        case 3: items = (0..<count).map { .number(number($0 * 2, 2, signed: false)) }
        case 4: items = (0..<count).map { .number(number($0 * 4, 4, signed: false)) }
        case 5:
            items = (0..<count).map { .number(number($0 * 8, 4, signed: false) / number($0 * 8 + 4, 4, signed: false)) }
        case 6:  // SBYTE
            items = (0..<count).map { i in b(i).map { .number(Double(Int8(bitPattern: $0))) } ?? .undefined }
        case 7:  // UNDEFINED: one Buffer of the bytes that exist
            return .buffer(Array(data.prefix(count)))
        case 8: items = (0..<count).map { .number(number($0 * 2, 2, signed: true)) }
        case 9: items = (0..<count).map { .number(number($0 * 4, 4, signed: true)) }
        case 10:
            items = (0..<count).map { .number(number($0 * 8, 4, signed: true) / number($0 * 8 + 4, 4, signed: true)) }
        default: return nil
        }
        // "If the value array has only one element we don't need an array."
        return items.count == 1 ? items[0] : .array(items)
    }

    /// Bytes per component of the types node-exif reads; 0 for the ones it drops (FLOAT, DOUBLE
    /// and unknown codes).
    static func size(of type: Int) -> Int {
        type == 11 || type == 12 ? 0 : ExifType.size(code: type)
    }

    /// Where node-exif reads the value: inside the entry when BYTE/ASCII/SBYTE/UNDEFINED count ≤ 4,
    /// SHORT/SSHORT count ≤ 2 or LONG/SLONG count = 1; else at the pointer. RATIONALs always use
    /// the pointer (imagekit-spec §2.4).
    static func isInline(type: Int, count: Int?) -> Bool {
        guard let count else { return false }  // NaN <= 4 is false
        switch type {
        case 1, 2, 6, 7: return count <= 4
        case 3, 8: return count <= 2
        case 4, 9: return count == 1
        default: return false
        }
    }
}

/// A JavaScript object with non-numeric keys: insertion order, and setting a key again keeps its
/// first position (SPEC §3: "a name seen twice keeps its first position and takes the later value").
struct NodeObject {
    private(set) var keys: [String] = []
    private var values: [String: NodeValue] = [:]

    subscript(key: String) -> NodeValue? {
        get { values[key] }
        set {
            guard let newValue else { return }
            if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    var json: JSONObject {
        var object = JSONObject()
        for key in keys {
            if let value = values[key]?.json { object[key] = value }
        }
        return object
    }
}
