/// Why two pHash strings have no distance; the messages are those of ImageKit's SDKs
/// (SPEC §4, phash.md §4), which print `"<message>: <help>"`.
public enum PHashDistanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One or both values are absent or empty.
    case missingValue
    /// A value is not 1–16 hex digits.
    case invalidValue

    /// What is wrong, as the SDKs say it.
    public var message: String {
        switch self {
        case .missingValue: return "Missing pHash value"
        case .invalidValue: return "Invalid pHash value"
        }
    }

    /// What to do about it, as the SDKs say it.
    public var help: String {
        switch self {
        case .missingValue: return "Please pass two pHash values"
        case .invalidValue: return "Both pHash strings must be valid hexadecimal numbers"
        }
    }

    /// `"<message>: <help>"`, as the SDKs print it.
    public var description: String { "\(message): \(help)" }
}

extension PHash {
    /// The distance between two hashes given as hex strings, checked in the order of ImageKit's
    /// Node SDK: missing (nil or empty) first, then invalid (SPEC §4). Hashes of different lengths
    /// are both left-padded to 16 digits, so they compare as 64-bit values.
    public static func distance(_ a: String?, _ b: String?) throws(PHashDistanceError) -> Int {
        guard let a, let b, !a.isEmpty, !b.isEmpty else { throw .missingValue }
        guard let x = PHash(hex: a), let y = PHash(hex: b) else { throw .invalidValue }
        return x.distance(to: y)
    }
}
