/// Every format ikmeta reads, and the ones it only recognises. Adding a format is one reader type
/// in this folder and its line in `readers`.
enum FormatRegistry {
    /// Tried in this order on the first bytes of each file.
    static let readers: [any FormatReader.Type] = [
        JPEGFormat.self,
        PNGFormat.self,
    ]

    /// The reader for a file starting with `head`.
    static func reader(for head: [UInt8]) -> (any FormatReader.Type)? {
        readers.first { $0.detect(head) }
    }
}

extension ImageFormat {
    /// The formats ikmeta reads, in registry order.
    public static var readable: [ImageFormat] { FormatRegistry.readers.map { $0.format } }

    /// Their usual names for sentences: "JPEG and PNG", "JPEG, PNG and GIF".
    public static var readableNames: String {
        let names = readable.map(\.name)
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}
